import type { Thread } from './thread';

/**
 * The one way to block (xv6's sleep/wakeup). A blocking call puts its thread to
 * sleep on one queue and returns BLOCKED; `wakeup` makes every sleeper
 * runnable again, and each retries its call from the top, so the scheduler
 * (and so exploration) decides which of them wins.
 */
export class WaitQueue {
  /** Threads asleep here, in the order they arrived (an array: a run makes many queues and most stay empty). */
  readonly sleepers: Thread[] = [];

  constructor(readonly name: string) {}

  add(thread: Thread): void {
    this.sleepers.push(thread);
  }

  remove(thread: Thread): void {
    const index = this.sleepers.indexOf(thread);
    if (index >= 0) this.sleepers.splice(index, 1);
  }

  wakeup(): void {
    const sleepers = this.sleepers;
    // A thread sleeps on one queue at a time: off this one, it is awake.
    // Popped rather than `length = 0`, which V8 does through a runtime call.
    while (sleepers.length > 0) sleepers.pop()!.awoken();
  }

  get empty(): boolean {
    return this.sleepers.length === 0;
  }
}
