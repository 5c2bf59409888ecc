import type { Thread } from './thread';

/**
 * The one way to block (xv6's sleep/wakeup). A blocking call puts its thread to
 * sleep on one or more queues and returns BLOCKED; `wakeup` makes every
 * sleeper runnable again, and each retries its call from the top, so the
 * scheduler (and so exploration) decides which of them wins.
 */
export class WaitQueue {
  /** Threads asleep here, in the order they arrived. */
  readonly sleepers = new Set<Thread>();

  constructor(readonly name: string) {}

  wakeup(): void {
    // A woken thread leaves the set as it is visited, which Set iteration allows.
    for (const thread of this.sleepers) thread.wake();
  }

  get empty(): boolean {
    return this.sleepers.size === 0;
  }
}
