import { FdTable } from './fd';
import type { FileSystem } from './fs';
import { VectorClock } from './hb';
import type { History, Replay } from './fork';
import { MailboxTable } from './mailbox';
import { Inbox } from './message';
import { MsgQueueTable } from './msgqueue';
import { Rng } from './rng';
import { ShmTable, type Attachments, type Segment } from './shm';
import { SignalState } from './signal';
import type { Thread } from './thread';
import type { Timer } from './time';
import { Capture } from './tty';
import type { ModuleFactory, SignalName } from './types';
import { WaitQueue } from './waitqueue';

/** What a process runs: the student's module, or a program of /bin after exec. */
export type Image =
  | { kind: 'module'; factory: ModuleFactory; entry: string; argv: readonly unknown[] }
  | { kind: 'program'; name: string; args: readonly string[] };

/** A simulated machine: its own pids, file system and named IPC objects. */
export class Host {
  /** Next pid to hand out; pids are never reused within a run. */
  nextPid = 2;
  /** Next tid for a thread that is not a process's first (those take the pid). */
  nextTid = 1001;
  readonly procs = new Map<number, Proc>();
  /** pid 1: adopts orphans and reaps them at once. */
  readonly init: Proc;
  /** Named semaphores (sem_open), by name. */
  readonly semaphores = new Map<string, unknown>();
  // The IPC tables are made on first use: most runs use none of them, and a run makes its hosts afresh.
  private ownMsgqueues: MsgQueueTable | null = null;
  private ownMailboxes: MailboxTable | null = null;
  private ownSegments: ShmTable | null = null;

  constructor(
    readonly addr: string,
    /** The first host: its threads are named without the address. */
    readonly primary: boolean,
    readonly fs: FileSystem,
  ) {
    this.init = new Proc(this, 1, null, null, [0, 0, 0, 1]);
  }

  /** System V message queues (msgget), by key and by qid. */
  get msgqueues(): MsgQueueTable {
    return (this.ownMsgqueues ??= new MsgQueueTable());
  }

  /** Mailboxes and Mach ports, by id and by name. */
  get mailboxes(): MailboxTable {
    return (this.ownMailboxes ??= new MailboxTable());
  }

  /** Shared-memory segments (shmget), by key and by shmid. */
  get segments(): ShmTable {
    return (this.ownSegments ??= new ShmTable());
  }

  /** Segments made here and not removed; none without making the table. */
  liveSegments(): Segment[] {
    return this.ownSegments?.live() ?? [];
  }
}

export class Proc {
  /** Live threads; the first is the main thread until the process ends. */
  readonly threads: Thread[] = [];
  main: Thread | null = null;
  /** Threads made by `thread()` and not yet joined, by tid. */
  private ownJoinable: Map<number, Thread> | null = null;
  private ownInbox: Inbox | null = null;
  /** 'zombie' once exited and until reaped; 'reaped' after wait (or init) collected it. */
  state: 'live' | 'zombie' | 'reaped' = 'live';
  exitStatus: number | null = null;
  exitSignal: SignalName | null = null;
  /** Order of exit across the run, so wait returns the child that exited first. */
  exitSeq = 0;
  readonly children = new Set<Proc>();
  /** Woken when a child exits. */
  readonly childExit = new WaitQueue('child exit');
  fds = new FdTable();
  readonly signals = new SignalState();
  private isStopped = false;
  alarm: Timer | null = null;
  readonly output = { stdout: new Capture(), stderr: new Capture() };
  /** Every result this process's code received, in order: what a fork replays to copy it. Null where nothing can fork. */
  history: History | null = null;
  /** Set while this process is a fork child being brought to its parent's state. */
  replay: Replay | null = null;
  /** Math.random of this process; `rngStart` is its state when the module instance began. */
  rng: Rng;
  rngStart: number[];
  /** The main thread's clock at exit, acquired by whoever waits for it. */
  exitClock = new VectorClock();
  /** The parent at creation, as the report shows it (orphans are re-parented to init later). */
  readonly originalPpid: number;
  /** Undo work for per-process kernel state (shared memory attachments, ...). */
  readonly atExit: (() => void)[] = [];
  /** Shared-memory segments this process has attached (shm.ts); null until its first shmat or an inherited one. */
  attached: Attachments | null = null;

  constructor(
    readonly host: Host,
    readonly pid: number,
    public parent: Proc | null,
    public image: Image | null,
    rngStart: number[],
  ) {
    this.originalPpid = parent?.pid ?? 0;
    this.rngStart = rngStart;
    this.rng = new Rng(rngStart);
  }

  /** Direct messages sent to this process (send_to), one link per sender; made on first use, as most processes get none. */
  get inbox(): Inbox {
    return (this.ownInbox ??= new Inbox());
  }

  get joinable(): Map<number, Thread> {
    return (this.ownJoinable ??= new Map());
  }

  get alive(): boolean {
    return this.state === 'live';
  }

  /** Stopped by SIGSTOP/SIGTSTP: runs nothing until SIGCONT. */
  get stopped(): boolean {
    return this.isStopped;
  }

  set stopped(stopped: boolean) {
    this.isStopped = stopped;
    for (const thread of this.threads) thread.reconsider();
  }

  get ppid(): number {
    return this.parent?.pid ?? 0;
  }

  get isInit(): boolean {
    return this.pid === 1;
  }

  /** How reports name the process: `pid 3`, with the host off the first one. */
  get label(): string {
    return this.host.primary ? `pid ${this.pid}` : `pid ${this.pid} on ${this.host.addr}`;
  }
}
