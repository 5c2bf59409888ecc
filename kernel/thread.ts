import type { Kernel } from './kernel';
import type { Proc } from './proc';
import type { Syscall } from './syscalls';
import type { SignalName } from './types';
import { VectorClock } from './hb';
import type { RunQueue } from './runqueue';
import { WaitQueue } from './waitqueue';

/** What a system call's implementation returns when it cannot finish now. */
export const BLOCKED = Symbol('blocked');
/** The call finishes later by its own means (fork, while the child is being copied). */
export const PENDING = Symbol('pending');
/** The calling thread no longer runs user code (it exited, exec'd or was killed). */
export const GONE = Symbol('gone');
/** The call moved part of its data and goes on at a later step (a long write split by the scheduler); the thread stays runnable. */
export const PARTIAL = Symbol('partial');
export type Outcome = unknown;

/** What a blocked call waits for, in a sentence; called only for a deadlock report or a trace. */
export type BlockDetail = (k: Kernel) => string;

/** Resolves or rejects the promise a `sys` call returned to the program. */
type Settle = (value: unknown) => void;
const ignore: Settle = () => undefined;

/**
 * One `sys` call a thread is waiting on; retried from the top each time the
 * thread is woken. A frame keeps its Request and reuses it for its next call
 * (`begin`): a step allocates no request of its own.
 */
export class Request {
  /** The table's entry for `call`; undefined for a thread's start. */
  spec: Syscall | undefined = undefined;
  /** A signal woke the thread while it was blocked in this call. */
  interrupted = false;
  /** Undoes what the call registered (a timer, a half-open FIFO) when it is abandoned. */
  cleanup: (() => void) | null = null;
  /** Characters a write has moved so far (kept across retries and pieces): a field, as nearly every write has it. */
  written = 0;
  /** Progress kept across retries, made on first use: most calls never retry. */
  private progress: Record<string, unknown> | null = null;

  constructor(
    public call: string,
    public args: readonly unknown[],
    public resolve: Settle = ignore,
    public reject: Settle = ignore,
  ) {}

  /** Other progress kept across retries (a timer, a phase, a half-open FIFO). */
  get state(): Record<string, unknown> {
    return (this.progress ??= {});
  }

  /** Makes this the request for a new call; nothing of the previous one survives. */
  begin(spec: Syscall, args: readonly unknown[], resolve: Settle, reject: Settle): this {
    this.call = spec.name;
    this.args = args;
    this.spec = spec;
    this.resolve = resolve;
    this.reject = reject;
    this.interrupted = false;
    this.cleanup = null;
    this.written = 0;
    this.progress = null;
    return this;
  }
}

/** An activation on a thread: its own body, or a signal handler running on top of it. */
export interface Frame {
  /** The call this activation waits on, or null while its code runs. */
  request: Request | null;
  /** The request object this activation's calls reuse, made at its first call. */
  reuse: Request | null;
  /** The signal whose handler this frame runs; null for the thread's body. */
  signal: SignalName | null;
  /** The handler was installed with {restart: true}. */
  restart: boolean;
}

/**
 * A thread of a process. Whatever `runnable` reads changes through this class
 * (or `Proc.stopped`), which then tells the run queue (see `RunQueue` for the
 * one change it is not told of).
 */
export class Thread {
  /** Bottom: the thread's body; above it, handlers of signals being delivered. Changed by pushFrame, removeFrame, setRequest and answered. */
  readonly frames: Frame[];
  private asleepOn: WaitQueue | null = null;
  /** Says, for a deadlock report (or a trace), what the blocked call waits for: only then is it formatted. */
  blockDetail: BlockDetail = () => '';
  private hasEnded = false;
  private hasStalled = false;
  /** In the run queue now; kept by the queue itself. */
  queued = false;
  /** What the body returned, for `join`. */
  result: unknown = undefined;
  joined = false;
  readonly exited = new WaitQueue('thread exit');
  /** PCT priority: the highest runnable runs. */
  priority = 0;
  /** Happens-before clock for race detection (VectorClock.INERT where the run detects none). */
  clock: VectorClock;
  /** `pid:tid`, prefixed with the host off the first host: how traces and decisions name it (kept, as every step records it). */
  key = '';
  private ownTid = 0;

  constructor(
    /** Unique across the run once scheduled; orders round robin and names the thread in clocks. */
    public gid: number,
    tid: number,
    readonly proc: Proc,
    /** Starts the thread's code; called when the scheduler first runs it. */
    readonly body: () => unknown,
    firstRequest: Request,
    private readonly runQueue: RunQueue,
    clock: VectorClock,
  ) {
    // Once started, the body's calls reuse the start request's object.
    this.frames = [{ request: firstRequest, reuse: firstRequest, signal: null, restart: false }];
    this.clock = clock;
    this.tid = tid;
  }

  get tid(): number {
    return this.ownTid;
  }

  /** A fork child's thread takes the child's pid as its tid; its key follows. */
  set tid(tid: number) {
    this.ownTid = tid;
    const local = `${this.proc.pid}:${tid}`;
    this.key = this.proc.host.primary ? local : `${this.proc.host.addr}:${local}`;
  }

  get top(): Frame {
    return this.frames[this.frames.length - 1];
  }

  /** `frame` now waits on `request`. */
  setRequest(frame: Frame, request: Request): void {
    frame.request = request;
    this.reconsider();
  }

  /**
   * `frame`'s call is answered (or its code starts) and its code runs on. The
   * thread keeps its place in the run queue meanwhile: nothing is scheduled
   * while code runs, and its next call, end or stall settles the place.
   */
  answered(frame: Frame): void {
    frame.request = null;
  }

  /** A signal handler's activation goes on top. */
  pushFrame(frame: Frame): void {
    this.frames.push(frame);
    this.reconsider();
  }

  removeFrame(frame: Frame): void {
    this.frames.splice(this.frames.indexOf(frame), 1);
    this.reconsider();
  }

  /** The queue this thread sleeps on; null when it is not blocked. */
  get sleepingOn(): WaitQueue | null {
    return this.asleepOn;
  }

  /** The body settled (or the process ended); the thread never runs again. */
  get done(): boolean {
    return this.hasEnded;
  }

  set done(done: boolean) {
    this.hasEnded = done;
    this.reconsider();
  }

  /** The thread awaits a promise no sys call will settle; it can never run again. */
  get stalled(): boolean {
    return this.hasStalled;
  }

  set stalled(stalled: boolean) {
    this.hasStalled = stalled;
    this.reconsider();
  }

  get request(): Request | null {
    return this.top.request;
  }

  get isMain(): boolean {
    return this.proc.main === this;
  }

  get blocked(): boolean {
    return this.sleepingOn !== null;
  }

  /** Can the scheduler pick it now? */
  get runnable(): boolean {
    return !this.hasEnded && !this.hasStalled && this.asleepOn === null && this.top.request !== null && !this.proc.stopped;
  }

  /** Tells the run queue whether the thread can run now; once scheduled (a gid), after anything `runnable` reads changed. */
  reconsider(): void {
    this.runQueue.update(this, this.gid > 0 && this.runnable);
  }

  /** Puts the thread to sleep on `queue` until it is woken. */
  sleep(queue: WaitQueue, detail: BlockDetail): typeof BLOCKED {
    queue.add(this);
    this.asleepOn = queue;
    this.blockDetail = detail;
    this.reconsider();
    return BLOCKED;
  }

  wake(): void {
    this.asleepOn?.remove(this);
    this.awoken();
  }

  /** Off the queue it slept on (which `WaitQueue.wakeup` empties itself): awake. */
  awoken(): void {
    this.asleepOn = null;
    this.reconsider();
  }

  /** A signal arrived for this thread: a blocked call is woken to fail with EINTR (or restart). */
  interrupt(): void {
    if (!this.blocked) return;
    this.wake();
    this.top.request!.interrupted = true;
  }

  /** Ends the thread for good, abandoning whatever it waited on. */
  kill(): void {
    this.wake();
    for (const frame of this.frames) frame.request?.cleanup?.();
    this.done = true;
  }
}
