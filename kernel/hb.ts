/**
 * Happens-before bookkeeping with vector clocks. Every synchronising act is a
 * release (the actor's knowledge flows into the object) followed later by an
 * acquire (the object's knowledge flows into whoever takes it): fork, wait,
 * semaphores, mutexes, condition variables, pipes, messages, sockets, signals.
 */
export class VectorClock {
  /**
   * The clock threads carry in a run where no race can be reported (race
   * detection off, or no shared memory): it never ticks or learns, so every
   * synchronising call's bookkeeping costs nothing, and the objects it
   * publishes to stay empty too.
   */
  static readonly INERT = new VectorClock(true);

  /** Thread gid → how many of that thread's epochs this clock has seen (gids are small and dense: an array, not a map). */
  private readonly seen: number[] = [];

  constructor(private readonly inert = false) {}

  get(gid: number): number {
    return gid < this.seen.length ? this.seen[gid] : 0;
  }

  /** Starts a new epoch of `gid`'s own history. */
  tick(gid: number): void {
    if (this.inert) return;
    this.cover(gid + 1);
    this.seen[gid]++;
  }

  /** Learns everything `other` has seen. */
  join(other: VectorClock): void {
    if (this.inert) return;
    const theirs = other.seen;
    this.cover(theirs.length);
    const mine = this.seen;
    for (let gid = 0; gid < theirs.length; gid++) if (theirs[gid] > mine[gid]) mine[gid] = theirs[gid];
  }

  copy(): VectorClock {
    if (this.inert) return this;
    const clone = new VectorClock();
    clone.join(this);
    return clone;
  }

  /** Grows the array with zeros (never holes) to `length` entries. */
  private cover(length: number): void {
    while (this.seen.length < length) this.seen.push(0);
  }
}

/** Anything a thread can synchronise through. */
export interface Synchronizer {
  clock: VectorClock;
}

/** A thread, or anything that acts with a clock of its own. */
export interface Clocked {
  gid: number;
  clock: VectorClock;
}

/** The actor publishes what it has done so far to `through`. */
export function release(actor: Clocked, through: Synchronizer): void {
  through.clock.join(actor.clock);
  actor.clock.tick(actor.gid);
}

/** The actor learns everything that was published to `through`. */
export function acquire(actor: Clocked, through: Synchronizer): void {
  actor.clock.join(through.clock);
}
