import { cloneForDelivery } from './clone';
import { SysError, sysError, type Errno } from './errors';
import type { Kernel } from './kernel';
import { ChunkedLog } from './log';
import type { Proc } from './proc';
import { inheritAttachments } from './shm';
import type { Disposition } from './signal';
import { PENDING, type Frame, type Outcome, type Request, type Thread } from './thread';
import { capture } from './tty';
import type { SignalName } from './types';

/**
 * One thing a process's code observed, in order. A fork child is made by
 * running a fresh instance of the module and feeding it these, so it reaches
 * the fork with its own copy of every variable the parent had.
 */
export type HistoryEvent =
  | { t: number; c: string; r: unknown } // a call's result (c is the call)
  | { t: number; c: string; e: RecordedError } // a call's error
  | { t: number; c: 'start' } // the thread's code began
  | { t: number; c: 'handler'; h: SignalName } // a signal handler began on the thread
  | { t: number; c: 'stall' } // the thread awaited something no sys call settles
  | { t: number; c: 'rename'; as: number } // fork: the forking thread became the child's main thread
  | { c: string; v: unknown }; // a synchronous call's answer (getpid, now, ...)

interface RecordedError {
  code: Errno;
  syscall: string;
  message: string;
}

/** Where a synchronous call's answer, which belongs to no thread, has its thread. */
const SYNC = -1;
/** Marks a recorded error among the results (a program's own value is never one). */
class Failed {
  constructor(readonly e: RecordedError) {}
}

/**
 * A process's HistoryEvents, kept flat (thread, call, value for each, in one
 * ChunkedLog) rather than as an object per event: a step records one, and most are
 * never read (only a fork replays them), so recording must cost as little as
 * a push. `at` rebuilds an event.
 */
export class History {
  /**
   * For each event: the thread (its tid, or SYNC); the call, or 'start' /
   * 'handler' / 'stall' / 'rename'; the result (or a Failed), the handler's
   * signal, the new tid, or the synchronous answer.
   */
  constructor(private readonly flat: ChunkedLog<unknown>) {}

  get length(): number {
    return this.flat.length / 3;
  }

  result(tid: number, call: string, value: unknown): void {
    this.flat.push3(tid, call, value);
  }

  error(tid: number, call: string, error: RecordedError): void {
    this.flat.push3(tid, call, new Failed(error));
  }

  started(tid: number): void {
    this.flat.push3(tid, 'start', undefined);
  }

  handler(tid: number, sig: SignalName): void {
    this.flat.push3(tid, 'handler', sig);
  }

  stalled(tid: number): void {
    this.flat.push3(tid, 'stall', undefined);
  }

  renamed(tid: number, as: number): void {
    this.flat.push3(tid, 'rename', as);
  }

  sync(call: string, value: unknown): void {
    this.flat.push3(SYNC, call, value);
  }

  at(index: number): HistoryEvent {
    const t = this.flat.at(3 * index) as number;
    const c = this.flat.at(3 * index + 1) as string;
    const value = this.flat.at(3 * index + 2);
    if (t === SYNC) return { c, v: value };
    if (value instanceof Failed) return { t, c, e: value.e };
    switch (c) {
      case 'start': return { t, c };
      case 'stall': return { t, c };
      case 'handler': return { t, c, h: value as SignalName };
      case 'rename': return { t, c, as: value as number };
      default: return { t, c, r: value };
    }
  }

  copy(): History {
    return new History(this.flat.copy());
  }
}

/** fork(): the child is a copy of the caller's process, made by replaying the caller's history. */
export function fork(k: Kernel, thread: Thread, request: Request): Outcome {
  if (request.state.child) return 0;
  const parent = thread.proc;
  if (k.procCount >= k.options.maxProcs) {
    throw sysError('EAGAIN', 'fork', `the run allows at most ${k.options.maxProcs} processes at once`);
  }
  if (parent.image?.kind !== 'module' || !parent.history) throw sysError('ENOSYS', 'fork', 'this program cannot fork');
  const child = k.createProcess(parent.host, parent, parent.image, parent.rngStart);
  child.fds = parent.fds.copy();
  inheritAttachments(parent, child);
  child.history = null;
  for (const sig of parent.signals.handling) child.signals.handling.add(sig);
  for (const [sig, disposition] of parent.signals.dispositions) if (typeof disposition === 'string') child.signals.dispositions.set(sig, disposition);
  child.replay = new Replay(k, child, parent.history.copy(), thread, request);
  child.replay.advanceSoon();
  return PENDING;
}

/** Drives a fork child's fresh module instance through its parent's history. */
export class Replay {
  /** Next history event to feed. */
  private cursor = 0;
  /** The instance's threads by the tid the history names them with. */
  private readonly threads = new Map<number, Thread>();
  /** Dispositions as the replayed code set them, with the child's own handler functions. */
  private readonly dispositions = new Map<SignalName, Disposition>();
  /** What replayed threads returned, for a replayed join. */
  private readonly returned = new Map<number, unknown>();
  private queued = false;

  constructor(
    private readonly k: Kernel,
    private readonly child: Proc,
    private readonly events: History,
    private readonly forker: Thread,
    private readonly forkRequest: Request,
  ) {}

  advanceSoon(): void {
    if (this.queued) return;
    this.queued = true;
    Promise.resolve().then(() => {
      this.queued = false;
      if (this.child.replay === this) this.advance();
    });
  }

  /** The replayed code made a call or finished a frame: feed the next event. */
  handBack(): void {
    this.advanceSoon();
  }

  private advance(): void {
    if (this.cursor === this.events.length) return this.reachFork();
    const event = this.events.at(this.cursor++);
    if (!('t' in event)) return this.fail(`it did not ask for ${event.c}() where the parent did`);
    if (event.c === 'start') return this.startThread(event.t);
    if ('as' in event) return this.rename(event.t, event.as);
    const thread = this.threads.get(event.t);
    if (!thread) return this.fail(`thread ${event.t} does not exist in the copy`);
    if (event.c === 'handler' && 'h' in event) return this.runHandler(thread, event.h);
    const request = thread.top.request;
    if (!request || request.call !== event.c) {
      return this.fail(`it called ${request ? `${request.call}()` : 'nothing'} where the parent called ${event.c}()`);
    }
    thread.answered(thread.top);
    this.k.running = thread;
    if ('e' in event) return request.reject(new SysError(event.e.code, event.e.syscall, event.e.message));
    request.resolve(this.ownResult(request, 'r' in event ? event.r : undefined));
  }

  /** Results that are the process's own objects must be the copy's objects, not the parent's. */
  private ownResult(request: Request, recorded: unknown): unknown {
    switch (request.call) {
      case 'thread': {
        const [fn, ...args] = request.args as [(...a: unknown[]) => unknown, ...unknown[]];
        this.threads.set(recorded as number, this.k.makeThread(this.child, recorded as number, () => fn(...args)));
        return recorded;
      }
      case 'signal': {
        const [sig, handler, options] = request.args as [SignalName, unknown, { restart?: boolean } | undefined];
        const previous = this.dispositions.get(sig) ?? 'default';
        this.dispositions.set(sig, typeof handler === 'function'
          ? { fn: handler as (s: SignalName) => unknown, restart: options?.restart === true }
          : handler as Disposition);
        return typeof previous === 'object' ? previous.fn : previous;
      }
      case 'join': {
        const tid = request.args[0] as number;
        return this.returned.has(tid) ? this.returned.get(tid) : cloneForDelivery(recorded);
      }
      default:
        return cloneForDelivery(recorded);
    }
  }

  private startThread(tid: number): void {
    let thread = this.threads.get(tid);
    if (!thread && this.threads.size === 0) {
      thread = this.k.makeThread(this.child, tid, this.k.imageBody(this.child));
      this.threads.set(tid, thread);
    }
    if (!thread || thread.top.request?.call !== 'start') return this.fail(`thread ${tid} did not start where the parent's did`);
    thread.answered(thread.frames[0]);
    this.k.running = thread;
    this.k.enterCode(thread, thread.frames[0], thread.body);
  }

  private runHandler(thread: Thread, sig: SignalName): void {
    const disposition = this.dispositions.get(sig);
    if (typeof disposition !== 'object') return this.fail(`it has no handler for ${sig} where the parent had one`);
    const frame: Frame = { request: null, reuse: null, signal: sig, restart: disposition.restart };
    thread.pushFrame(frame);
    this.k.running = thread;
    this.k.enterCode(thread, frame, () => disposition.fn(sig));
  }

  /** The forking thread of an ancestor became that child's main thread; the others were not copied. */
  private rename(tid: number, as: number): void {
    const thread = this.threads.get(tid);
    if (!thread) return this.fail(`thread ${tid} does not exist in the copy`);
    for (const other of this.threads.values()) if (other !== thread) other.kill();
    this.threads.clear();
    thread.tid = as;
    this.threads.set(as, thread);
    this.child.main = thread;
    this.advanceSoon();
  }

  settled(thread: Thread, frame: Frame, value: unknown, threw: boolean): void {
    if (frame.signal) {
      thread.removeFrame(frame);
    } else if (thread === this.child.main || threw) {
      return this.fail('its code ended where the parent\'s went on');
    } else {
      thread.done = true;
      this.returned.set(thread.tid, value);
    }
    this.advanceSoon();
  }

  syncResult(call: string): unknown {
    const event = this.cursor < this.events.length ? this.events.at(this.cursor) : null;
    if (!event || 't' in event || event.c !== call) {
      this.fail(`it asked for ${call}() where the parent did not`);
      return undefined;
    }
    this.cursor++;
    return event.v;
  }

  /** The isolate ran dry: fine only where the parent's code also stalled. */
  idle(): void {
    const event = this.cursor < this.events.length ? this.events.at(this.cursor) : null;
    if (!event || !('t' in event) || event.c !== 'stall') return this.fail('it stopped where the parent went on');
    this.cursor++;
    const thread = this.threads.get(event.t);
    if (thread) thread.stalled = true;
    this.advance();
  }

  /** The history is used up: the copy must now be making the same fork call. */
  private reachFork(): void {
    const thread = this.threads.get(this.forker.tid);
    const request = thread?.top.request;
    if (!thread || request?.call !== 'fork') return this.fail('it did not reach the fork');
    const oldTid = thread.tid;
    for (const other of this.threads.values()) if (other !== thread) other.kill();
    const child = this.child;
    child.replay = null;
    child.main = thread;
    thread.tid = child.pid;
    thread.clock = this.forker.clock.copy();
    this.forker.clock.tick(this.forker.gid);
    for (const [sig, disposition] of this.dispositions) child.signals.dispositions.set(sig, disposition);
    child.history = this.events;
    child.history.renamed(oldTid, child.pid);
    request.state.child = true;
    this.k.adopt(thread);
    this.k.complete(this.forker, this.forkRequest, child.pid);
  }

  /** The copy went its own way: the child fails visibly, the parent still gets its pid. */
  private fail(why: string): void {
    const child = this.child;
    if (child.replay !== this) return;
    for (const thread of this.threads.values()) thread.kill();
    child.replay = null;
    capture(this.k, child, 'stderr', `fork could not copy pid ${this.forker.proc.pid}: when re-run, ${why}. ` +
      'Keep every source of change inside sys calls (no shared globals, no real time).\n');
    this.k.exitProcess(child, 1, null);
    this.k.complete(this.forker, this.forkRequest, child.pid);
  }
}
