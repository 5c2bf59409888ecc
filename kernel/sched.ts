import { Rng, mixSeed } from './rng';
import type { Strategy } from './types';
import type { Thread } from './thread';

/**
 * Picks, at every scheduling point, which runnable thread goes next. Each
 * strategy is deterministic given the seed (and, for replay, the decisions).
 */
export interface Scheduler {
  readonly strategy: Strategy;
  /** `step` counts from 1; `runnable` is in thread creation order and never empty. */
  choose(runnable: readonly Thread[], step: number): Thread;
  /** A new thread exists (PCT gives it a priority). */
  admit(thread: Thread): void;
  /**
   * How many of `max` characters (max > 1) the I/O of step `step` moves: a
   * read's count, a long write's piece. `usual` is what round robin moves.
   */
  count(step: number, max: number, usual: number): number;
  /** Replay only: the recorded decisions ran out or named a thread that could not run. */
  readonly diverged: boolean;
}

export interface SchedulerOptions {
  strategy: Strategy;
  seed: number;
  pctDepth: number;
  pctSteps: number;
  decisions: readonly string[];
  /** Replay: how the run goes on past the decisions (round robin, or without preemption). */
  afterReplay: 'rr' | 'nonpreemptive';
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  switch (options.strategy) {
    case 'rr': return new RoundRobin();
    case 'random': return new RandomScheduler(options.seed);
    case 'pct': return new PctScheduler(options.seed, options.pctDepth, options.pctSteps);
    case 'replay': return new ReplayScheduler(options.decisions, options.afterReplay === 'nonpreemptive' ? new NonPreemptive() : new RoundRobin());
  }
}

/** Switches at every scheduling point to the next runnable thread in creation order. */
class RoundRobin implements Scheduler {
  readonly strategy = 'rr';
  readonly diverged = false;
  /** gid of the thread chosen last. */
  private last = 0;

  choose(runnable: readonly Thread[]): Thread {
    let next = runnable[0];
    for (const thread of runnable) {
      if (thread.gid > this.last) {
        next = thread;
        break;
      }
    }
    this.last = next.gid;
    return next;
  }

  admit(): void {}

  count(_step: number, _max: number, usual: number): number {
    return usual;
  }
}

/**
 * Real kernels may return a short read and split a long write anywhere; the
 * sampling strategies do so a quarter of the time, at a uniformly random
 * count (half the time cost a passing grading 1.6x its CPU time: every short
 * read is one more step).
 */
const SHORT_COUNT = 0.25;

class CountPicker {
  private readonly rng: Rng;

  constructor(seed: number) {
    // A stream of its own, so the thread choices of a seed stay what they were.
    this.rng = new Rng(mixSeed(seed, 0x10c0));
  }

  count(max: number, usual: number): number {
    return this.rng.chance(SHORT_COUNT) ? 1 + this.rng.below(max) : usual;
  }
}

/** Uniformly random among the runnable threads. */
class RandomScheduler implements Scheduler {
  readonly strategy = 'random';
  readonly diverged = false;
  private readonly rng: Rng;
  private readonly counts: CountPicker;

  constructor(seed: number) {
    this.rng = new Rng(mixSeed(seed, 0x5c4ed));
    this.counts = new CountPicker(seed);
  }

  choose(runnable: readonly Thread[]): Thread {
    return runnable[this.rng.below(runnable.length)];
  }

  admit(): void {}

  count(_step: number, max: number, usual: number): number {
    return this.counts.count(max, usual);
  }
}

/** Consecutive steps after which PCT stops favouring a thread that never blocks. */
const STARVATION_LIMIT = 64;

/**
 * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): random
 * distinct priorities, always run the highest, and at d - 1 random steps drop
 * the running thread below every initial priority. Finds a depth-d bug with
 * probability at least 1/(n k^(d-1)).
 *
 * PCT assumes threads that block; a thread that busy-waits (a spin on a
 * shared cell, a yield loop) would keep the highest priority forever and
 * starve the thread it waits for. So a thread that runs STARVATION_LIMIT
 * steps in a row while others could run drops below every other priority.
 */
class PctScheduler implements Scheduler {
  readonly strategy = 'pct';
  readonly diverged = false;
  private readonly rng: Rng;
  /** Step number → the low priority the running thread drops to there. */
  private readonly changePoints = new Map<number, number>();
  private last: Thread | null = null;
  /** Steps the last thread has run in a row while another was runnable. */
  private streak = 0;
  /** Priorities handed to starving spinners count down from here, below the change points. */
  private lowest = 0;

  private readonly counts: CountPicker;

  constructor(seed: number, private readonly depth: number, steps: number) {
    this.rng = new Rng(mixSeed(seed, 0x9c7));
    for (let i = 1; i < depth; i++) this.changePoints.set(1 + this.rng.below(Math.max(1, steps)), depth - i);
    this.counts = new CountPicker(seed);
  }

  count(_step: number, max: number, usual: number): number {
    return this.counts.count(max, usual);
  }

  admit(thread: Thread): void {
    // Initial priorities sit above every change-point priority (1 .. d-1).
    thread.priority = this.depth + this.rng.next();
  }

  choose(runnable: readonly Thread[], step: number): Thread {
    const drop = this.changePoints.get(step);
    if (drop !== undefined && this.last) this.last.priority = drop;
    if (this.last && this.streak >= STARVATION_LIMIT && runnable.length > 1) {
      this.last.priority = --this.lowest;
      this.streak = 0;
    }
    let best = runnable[0];
    for (const thread of runnable) if (thread.priority > best.priority) best = thread;
    this.streak = best === this.last && runnable.length > 1 ? this.streak + 1 : 0;
    this.last = best;
    return best;
  }
}

/** Steps in a row after which a thread that never blocks gives way in a run without preemption: a spin makes no progress. */
const SPIN_LIMIT = 8;

/**
 * Runs the thread that ran last for as long as it can, so a schedule's
 * preemptions are only the ones a replayed prefix asks for (iterative context
 * bounding). A thread that yields or sleeps gives way, as does one that has run
 * SPIN_LIMIT steps in a row while others could run (a spin on a shared
 * cell would otherwise never end, and each of its steps would be a place to preempt); then the next in creation order goes.
 */
export class NonPreemptive implements Scheduler {
  readonly strategy = 'replay';
  readonly diverged = false;
  private last: Thread | null = null;
  private streak = 0;

  /** A thread that has run this many steps in a row (after its first) gives way: it spins. */
  static spinning(streak: number): boolean {
    return streak >= SPIN_LIMIT;
  }

  /** The thread non-preemptive scheduling keeps running at this step, if any. */
  static staying(last: Thread | null, runnable: readonly Thread[], streak: number): Thread | null {
    if (!last || !runnable.includes(last) || NonPreemptive.spinning(streak)) return null;
    const call = last.request?.call;
    return call === 'yield' || call === 'sleep' ? null : last;
  }

  choose(runnable: readonly Thread[]): Thread {
    let next = NonPreemptive.staying(this.last, runnable, this.streak);
    if (!next) {
      const after = this.last?.gid ?? 0;
      next = runnable.find((thread) => thread.gid > after) ?? runnable[0];
    }
    this.follow(next, runnable.length);
    return next;
  }

  /** The thread chosen at this step, whoever chose it (a replayed decision included). */
  follow(chosen: Thread, runnableCount: number): void {
    this.streak = chosen === this.last && runnableCount > 1 ? this.streak + 1 : 0;
    this.last = chosen;
  }

  admit(): void {}

  count(_step: number, _max: number, usual: number): number {
    return usual;
  }
}

/** A decision names the chosen thread, and the count its I/O moved when that was not the usual one: `2:2@3`. */
export function decisionOf(key: string, count: number | undefined): string {
  return count === undefined ? key : `${key}@${count}`;
}

/** Follows recorded decisions; past their end, or where one cannot be followed, round robin. */
class ReplayScheduler implements Scheduler {
  readonly strategy = 'replay';
  diverged = false;
  private readonly keys: string[];
  /** Step index → the I/O count recorded there, if any. */
  private readonly counts: (number | undefined)[];

  constructor(decisions: readonly string[], private readonly fallback: RoundRobin | NonPreemptive) {
    this.keys = decisions.map((decision) => decision.split('@')[0]);
    this.counts = decisions.map((decision) => {
      const at = decision.indexOf('@');
      return at < 0 ? undefined : Number(decision.slice(at + 1));
    });
  }

  choose(runnable: readonly Thread[], step: number): Thread {
    const wanted = this.keys[step - 1];
    if (wanted !== undefined) {
      for (const candidate of runnable) {
        if (candidate.key !== wanted) continue;
        if (this.fallback instanceof NonPreemptive) this.fallback.follow(candidate, runnable.length);
        return candidate;
      }
    }
    if (step <= this.keys.length) this.diverged = true;
    return this.fallback.choose(runnable);
  }

  admit(): void {}

  count(step: number, max: number, usual: number): number {
    const recorded = this.counts[step - 1];
    return recorded === undefined || !Number.isInteger(recorded) ? usual : Math.min(max, Math.max(1, recorded));
  }
}
