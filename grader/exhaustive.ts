/**
 * Bounded exhaustive exploration for small programs: a search
 * over scheduling decisions, where each run replays a prefix and continues
 * round robin, and the kernel records the runnable threads at every step.
 * Sleep sets (Godefroid's partial-order reduction) skip an alternative when
 * it commutes with everything explored before it at that point, so
 * interleavings that differ only in the order of independent steps are run
 * once.
 */
import type { RunResult, StepChoice } from '../kernel/types';
import type { RunRequest, Runner } from './harness';

const EVERYTHING = '*';

/** Thread key → the footprint of its pending call when it was put to sleep. */
type SleepSet = Map<string, string[]>;

interface Branch {
  prefix: string[];
  sleep: SleepSet;
}

function independent(a: readonly string[], b: readonly string[]): boolean {
  if (a.includes(EVERYTHING) || b.includes(EVERYTHING)) return false;
  return !a.some((key) => b.includes(key));
}

function footprintAt(choice: StepChoice, key: string): string[] {
  const index = choice.runnable.indexOf(key);
  return index >= 0 ? choice.footprints[index] : [EVERYTHING];
}

function keepIndependent(sleep: SleepSet, of: readonly string[]): SleepSet {
  return new Map([...sleep].filter(([, footprint]) => independent(footprint, of)));
}

export interface ExhaustiveSummary {
  runs: number;
  /** Every interleaving (up to independent reorderings) was run within the bound. */
  complete: boolean;
}

/**
 * Runs schedules until the space is covered, `maxRuns` is reached, or
 * `visit` returns false; `visit` sees each request and its result.
 */
export async function exploreExhaustively(
  runner: Runner,
  base: RunRequest,
  maxRuns: number,
  visit: (request: RunRequest, run: RunResult) => boolean,
): Promise<ExhaustiveSummary> {
  const pending: Branch[] = [{ prefix: [], sleep: new Map() }];
  let runs = 0;
  while (pending.length > 0 && runs < maxRuns) {
    // Shallowest branch points first: within a bound, early interleavings matter as much as late ones.
    const branch = pending.shift()!;
    const request: RunRequest = {
      ...base,
      settings: { ...base.settings, schedule: 'replay', decisions: branch.prefix, recordChoices: true },
    };
    const [run] = await runner.runMany([request]);
    runs++;
    const { choices, ...reported } = run;
    if (!visit(request, reported)) return { runs, complete: false };
    if (!choices) continue;
    let sleep = branch.sleep;
    for (let step = branch.prefix.length; step < run.decisions.length && step < choices.length; step++) {
      const choice = choices[step];
      const chosen = run.decisions[step];
      // Past the prefix the run went on round robin, which may pick a sleeping thread:
      // that subtree is covered elsewhere, so only this step's other options remain to explore.
      const redundant = sleep.has(chosen);
      const explored: SleepSet = new Map(sleep);
      if (!redundant) explored.set(chosen, footprintAt(choice, chosen));
      for (const alternative of choice.runnable) {
        if (alternative === chosen || sleep.has(alternative)) continue;
        const footprint = footprintAt(choice, alternative);
        pending.push({ prefix: [...run.decisions.slice(0, step), alternative], sleep: keepIndependent(explored, footprint) });
        explored.set(alternative, footprint);
      }
      if (redundant) break;
      sleep = keepIndependent(sleep, footprintAt(choice, chosen));
    }
  }
  return { runs, complete: pending.length === 0 };
}
