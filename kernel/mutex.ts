import { sysError } from './errors';
import { acquire, release, VectorClock } from './hb';
import type { Outcome, Request, Thread } from './thread';
import { WaitQueue } from './waitqueue';

/** A mutex for the threads of one process; only its owner may unlock it. */
export class Mutex {
  /** The thread holding it, or null when free. */
  owner: Thread | null = null;
  /** Threads waiting for it to be free. */
  readonly waiters = new WaitQueue('mutex');
  /** Each unlock publishes to the next lock (happens-before). */
  readonly clock = new VectorClock();

  constructor(readonly label: string) {}

  lock(thread: Thread, nonblock: boolean, call: string): Outcome {
    if (this.owner === thread) throw sysError('EDEADLK', call, `this thread already holds ${this.label}`);
    if (this.owner === null) {
      this.owner = thread;
      acquire(thread, this);
      return undefined;
    }
    if (nonblock) throw sysError('EAGAIN', call, `${this.label} is held by thread ${this.owner.tid}`);
    return thread.sleep(this.waiters, () => `${this.label} is held by thread ${this.owner?.tid ?? '?'}` +
      (this.owner?.done ? ', which has ended without unlocking it' : ''));
  }

  unlock(thread: Thread, call: string): void {
    if (this.owner !== thread) throw sysError('EPERM', call, `this thread does not hold ${this.label}`);
    this.owner = null;
    release(thread, this);
    this.waiters.wakeup();
  }
}

/** A waiter's place in a condition variable: set when a signal or broadcast picks it. */
interface Waiter { signaled: boolean }

/** A condition variable: wait releases the mutex, sleeps until signalled, then takes the mutex again. */
export class CondVar {
  /** Waiters not yet signalled, oldest first. */
  private readonly waiting: Waiter[] = [];
  readonly woken = new WaitQueue('condition variable');
  readonly clock = new VectorClock();

  constructor(readonly label: string) {}

  wait(thread: Thread, request: Request, mutex: Mutex, call: string): Outcome {
    const state = request.state as { waiter?: Waiter };
    if (!state.waiter) {
      if (mutex.owner !== thread) throw sysError('EPERM', call, `the calling thread must hold ${mutex.label}`);
      state.waiter = { signaled: false };
      this.waiting.push(state.waiter);
      mutex.unlock(thread, call);
    }
    if (!state.waiter.signaled) return thread.sleep(this.woken, () => `waiting on ${this.label}; nobody signals it`);
    acquire(thread, this);
    return mutex.lock(thread, false, call);
  }

  signal(thread: Thread): void {
    release(thread, this);
    const waiter = this.waiting.shift();
    if (waiter) waiter.signaled = true;
    this.woken.wakeup();
  }

  broadcast(thread: Thread): void {
    release(thread, this);
    for (const waiter of this.waiting.splice(0)) waiter.signaled = true;
    this.woken.wakeup();
  }
}
