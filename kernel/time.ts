/**
 * The simulated clock's timers. Time moves only when nothing can run: the
 * kernel then jumps to the earliest timer and fires everything due.
 */
export interface Timer {
  at: number;
  /** Creation order, so timers due together fire in the order they were set. */
  seq: number;
  fire: () => void;
  cancelled: boolean;
}

export class TimerQueue {
  private timers: Timer[] = [];
  private nextSeq = 0;

  add(at: number, fire: () => void): Timer {
    const timer: Timer = { at, seq: this.nextSeq++, fire, cancelled: false };
    this.timers.push(timer);
    return timer;
  }

  cancel(timer: Timer | null | undefined): void {
    if (timer) timer.cancelled = true;
  }

  /** The time of the earliest live timer, or null when none is set. */
  earliest(): number | null {
    this.timers = this.timers.filter((timer) => !timer.cancelled);
    let at: number | null = null;
    for (const timer of this.timers) if (at === null || timer.at < at) at = timer.at;
    return at;
  }

  /** Fires, in order, every live timer due at or before `now`. */
  fireDue(now: number): void {
    const due = this.timers.filter((timer) => !timer.cancelled && timer.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.timers = this.timers.filter((timer) => !due.includes(timer));
    for (const timer of due) {
      timer.cancelled = true;
      timer.fire();
    }
  }
}
