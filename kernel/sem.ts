import { sysError } from './errors';
import { acquire, release, VectorClock } from './hb';
import type { Outcome, Thread } from './thread';
import { WaitQueue } from './waitqueue';

/** A counting semaphore, named (sem_open, any process of the host) or unnamed (sem_init). */
export class Semaphore {
  /** Units available; sem_wait takes one, sem_post returns one. */
  value: number;
  /** Threads waiting for the value to become positive. */
  readonly waiters = new WaitQueue('semaphore');
  /** Posters publish to waiters through it (happens-before). */
  readonly clock = new VectorClock();

  constructor(initial: number, readonly label: string) {
    this.value = initial;
  }

  wait(thread: Thread, nonblock: boolean, call: string): Outcome {
    if (this.value > 0) {
      this.value--;
      acquire(thread, this);
      return undefined;
    }
    if (nonblock) throw sysError('EAGAIN', call, `${this.label} is 0`);
    return thread.sleep(this.waiters, this.whyZero);
  }

  /** What a waiter blocked here waits for; made once per semaphore, not per wait. */
  private readonly whyZero = (): string => `${this.label} is 0 and no thread posts it`;

  post(thread: Thread): void {
    this.value++;
    release(thread, this);
    this.waiters.wakeup();
  }
}
