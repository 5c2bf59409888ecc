import type { Proc } from './proc';
import type { SignalName } from './types';
import { VectorClock } from './hb';
import { WaitQueue } from './waitqueue';

/** What a system call's implementation returns when it cannot finish now. */
export const BLOCKED = Symbol('blocked');
/** The call finishes later by its own means (fork, while the child is being copied). */
export const PENDING = Symbol('pending');
/** The calling thread no longer runs user code (it exited, exec'd or was killed). */
export const GONE = Symbol('gone');
export type Outcome = unknown;

/** One `sys` call a thread is waiting on; retried from the top each time the thread is woken. */
export class Request {
  /** Progress kept across retries (bytes written so far, a timer, a phase). */
  state: Record<string, unknown> = {};
  /** A signal woke the thread while it was blocked in this call. */
  interrupted = false;
  /** Undoes what the call registered (a timer, a half-open FIFO) when it is abandoned. */
  cleanup: (() => void) | null = null;

  constructor(
    readonly call: string,
    readonly args: readonly unknown[],
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

/** An activation on a thread: its own body, or a signal handler running on top of it. */
export interface Frame {
  /** The call this activation waits on, or null while its code runs. */
  request: Request | null;
  /** The signal whose handler this frame runs; null for the thread's body. */
  signal: SignalName | null;
  /** The handler was installed with {restart: true}. */
  restart: boolean;
}

export class Thread {
  /** Bottom: the thread's body; above it, handlers of signals being delivered. */
  readonly frames: Frame[];
  /** Queues this thread sleeps on; empty when it is not blocked. */
  sleepingOn: WaitQueue[] = [];
  /** Says, for a deadlock report, what the blocked call waits for. */
  blockDetail: () => string = () => '';
  /** The body settled (or the process ended); the thread never runs again. */
  done = false;
  /** The thread awaits a promise no sys call will settle; it can never run again. */
  stalled = false;
  /** What the body returned, for `join`. */
  result: unknown = undefined;
  joined = false;
  readonly exited = new WaitQueue('thread exit');
  /** PCT priority: the highest runnable runs. */
  priority = 0;
  /** Happens-before clock for race detection. */
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
  ) {
    this.frames = [{ request: firstRequest, signal: null, restart: false }];
    this.clock = new VectorClock();
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

  get request(): Request | null {
    return this.top.request;
  }

  get isMain(): boolean {
    return this.proc.main === this;
  }

  get blocked(): boolean {
    return this.sleepingOn.length > 0;
  }

  /** Can the scheduler pick it now? */
  get runnable(): boolean {
    return !this.done && !this.stalled && this.sleepingOn.length === 0 && this.top.request !== null && !this.proc.stopped;
  }

  /** Puts the thread to sleep on `queues` until one of them is woken. */
  sleep(queues: WaitQueue[], detail: () => string): typeof BLOCKED {
    for (const queue of queues) queue.sleepers.add(this);
    this.sleepingOn = queues;
    this.blockDetail = detail;
    return BLOCKED;
  }

  wake(): void {
    for (const queue of this.sleepingOn) queue.sleepers.delete(this);
    this.sleepingOn = [];
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
