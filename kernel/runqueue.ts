import type { Thread } from './thread';

/**
 * The threads the scheduler chooses among, in creation order (by gid). A
 * thread joins when it makes a call, is woken or continued, or its signal
 * handler returns; it leaves when it sleeps, stops, stalls or ends, or a
 * handler's frame goes on top. One whose call was just answered keeps its
 * place while its code runs: the scheduler decides only when no code runs,
 * and by then that thread has made its next call, ended or stalled. So a step
 * no longer filters every thread of the run (beside 62 blocked processes that
 * filter was a quarter of a ping-pong's time).
 */
export class RunQueue {
  /** Read by the scheduler; changed only here. */
  readonly threads: Thread[] = [];

  /** Puts `thread` in or takes it out, as `canRun` says it now can or cannot run. */
  update(thread: Thread, canRun: boolean): void {
    if (canRun === thread.queued) return;
    thread.queued = canRun;
    if (canRun) this.insert(thread);
    else this.remove(thread);
  }

  /** Stores within the array's length and push/pop only: anything else goes through V8's runtime in the frozen realm. */
  private insert(thread: Thread): void {
    const threads = this.threads;
    threads.push(thread);
    let at = threads.length - 1;
    for (; at > 0 && threads[at - 1].gid > thread.gid; at--) threads[at] = threads[at - 1];
    threads[at] = thread;
  }

  private remove(thread: Thread): void {
    const threads = this.threads;
    const last = threads.length - 1;
    for (let at = threads.indexOf(thread); at < last; at++) threads[at] = threads[at + 1];
    threads.pop();
  }
}
