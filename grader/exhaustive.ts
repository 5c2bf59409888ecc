/**
 * Systematic exploration, for when sampling is not enough: each run replays a
 * prefix of decisions, and the kernel records the options it had at every
 * step, from which the next prefixes are made.
 *
 * - `exploreExhaustively`: every interleaving (up to a bound on runs), with
 *   sleep sets (Godefroid's partial-order reduction) skipping an alternative
 *   when it commutes with everything explored before it at that point.
 * - `exploreBounded`: iterative context bounding (Musuvathi and Qadeer, PLDI
 *   2007): every schedule with no preemption, then every one with one, with
 *   two, ... until the runs run out. Most concurrency bugs need very few
 *   preemptions, wherever in a long run they fall.
 *
 * Both also try a short count (one character) where a step's I/O could move
 * more: the kernel's other nondeterminism.
 */
import { EVERYTHING, independent } from '../kernel/footprint';
import type { RunResult, StepChoice } from '../kernel/types';
import type { RunRequest, Runner } from './harness';

/** Thread key → the footprint of its pending call when it was put to sleep. */
type SleepSet = Map<string, string[]>;

interface Branch {
  prefix: string[];
  sleep: SleepSet;
}

/** A decision's thread key, without the I/O count it may carry ('2:2@3' → '2:2'). */
export function threadOf(decision: string): string {
  const at = decision.indexOf('@');
  return at < 0 ? decision : decision.slice(0, at);
}

/** The decision that makes the step's I/O move one character, where it could have moved more and did not already. */
function shortCount(choice: StepChoice, decision: string): string | null {
  return choice.ioMax !== undefined && choice.ioMax > 1 && decision.indexOf('@') < 0 ? `${decision}@1` : null;
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

/** A run and the step its `choices` begin at. */
type RecordedRun = RunResult & { choices?: StepChoice[]; choicesFrom: number };

/** The options the run recorded at `step` (counted from 0), if it recorded that step. */
function recordedChoice(run: RecordedRun, step: number): StepChoice | undefined {
  return run.choices?.[step - run.choicesFrom];
}

/**
 * Runs one batch of replays recording choices; `visit` sees each (without its choices); false from
 * it stops everything. Without footprints a run records only the steps past its prefix, all its
 * search reads; footprints name objects as the run first meets them, so they are recorded from the start.
 */
async function runBranches(
  runner: Runner,
  base: RunRequest,
  prefixes: string[][],
  settings: RunRequest['settings'],
  visit: (request: RunRequest, run: RunResult) => boolean,
): Promise<{ runs: RecordedRun[]; stopped: boolean }> {
  const froms = prefixes.map((prefix) => (settings.recordChoices === 'runnable' ? prefix.length : 0));
  const requests = prefixes.map((prefix, index): RunRequest => ({
    ...base, settings: { ...base.settings, ...settings, schedule: 'replay', decisions: prefix, recordChoicesFrom: froms[index] },
  }));
  const results: RecordedRun[] = (await runner.runMany(requests, { stopAtStepLimit: true })).map((run, index) => ({ ...run, choicesFrom: froms[index] }));
  for (const [index, run] of results.entries()) {
    const reported: Partial<RecordedRun> = { ...run };
    delete reported.choices;
    delete reported.choicesFrom;
    if (!visit(requests[index], reported as RunResult)) return { runs: results.slice(0, index + 1), stopped: true };
  }
  return { runs: results, stopped: false };
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
    const { runs: [run], stopped } = await runBranches(runner, base, [branch.prefix], { recordChoices: true }, visit);
    runs++;
    if (stopped) return { runs, complete: false };
    let sleep = branch.sleep;
    for (let step = branch.prefix.length; step < run.decisions.length; step++) {
      const choice = recordedChoice(run, step);
      if (!choice) break;
      const decision = run.decisions[step];
      const chosen = threadOf(decision);
      const before = run.decisions.slice(0, step);
      // Past the prefix the run went on round robin, which may pick a sleeping thread:
      // that subtree is covered elsewhere, so only this step's other options remain to explore.
      const redundant = sleep.has(chosen);
      const explored: SleepSet = new Map(sleep);
      if (!redundant) explored.set(chosen, footprintAt(choice, chosen));
      const short = redundant ? null : shortCount(choice, decision);
      if (short) pending.push({ prefix: [...before, short], sleep: new Map(sleep) });
      for (const alternative of choice.runnable) {
        if (alternative === chosen || sleep.has(alternative)) continue;
        const footprint = footprintAt(choice, alternative);
        pending.push({ prefix: [...before, alternative], sleep: keepIndependent(explored, footprint) });
        explored.set(alternative, footprint);
      }
      if (redundant) break;
      sleep = keepIndependent(sleep, footprintAt(choice, chosen));
    }
  }
  return { runs, complete: pending.length === 0 };
}

export interface BoundedSummary {
  runs: number;
  /** The largest bound every schedule within which was run (-1: not even every schedule without preemption). */
  bound: number;
  /** Schedules run with one preemption more than `bound`, when that level was begun. */
  partial: number;
  /** Every schedule, whatever its preemptions, was run. */
  complete: boolean;
}

/** Runs a bounded search is given at a time: they do not depend on each other. */
const BATCH = 50;

/**
 * Iterative context bounding: schedules in order of their preemptions (a
 * switch away from a thread that could have gone on), each run a prefix
 * replayed and then continued without preemption. Also a short count where
 * a step's I/O could move more, counted as one deviation like a preemption.
 */
export async function exploreBounded(
  runner: Runner,
  base: RunRequest,
  maxRuns: number,
  visit: (request: RunRequest, run: RunResult) => boolean,
  /** Stop once every schedule with at most this many preemptions has run (default: go on until the runs run out). */
  maxBound = Infinity,
): Promise<BoundedSummary> {
  /** Schedules still to run, by their preemptions: a run's first `step` decisions, then `decision`. */
  const levels: { from: readonly string[]; step: number; decision: string | null }[][] = [[{ from: [], step: 0, decision: null }]];
  let runs = 0;
  let level = 0;
  let doneAtLevel = 0;
  while (runs < maxRuns) {
    while (level < levels.length && (levels[level]?.length ?? 0) === 0) {
      level++;
      doneAtLevel = 0;
    }
    if (level >= levels.length) return { runs, bound: level - 1, partial: 0, complete: true };
    if (level > maxBound) return { runs, bound: maxBound, partial: 0, complete: false };
    const branches = levels[level].splice(0, Math.min(BATCH, maxRuns - runs));
    const prefixes = branches.map(({ from, step, decision }) => (decision === null ? [] : [...from.slice(0, step), decision]));
    const { runs: results, stopped } = await runBranches(runner, base, prefixes, { recordChoices: 'runnable', afterReplay: 'nonpreemptive' }, visit);
    runs += results.length;
    doneAtLevel += results.length;
    if (stopped) break;
    for (const [index, run] of results.entries()) {
      for (let step = prefixes[index].length; step < run.decisions.length; step++) {
        const choice = recordedChoice(run, step);
        if (!choice) break;
        const decision = run.decisions[step];
        const chosen = threadOf(decision);
        const short = shortCount(choice, decision);
        if (short) (levels[level + 1] ??= []).push({ from: run.decisions, step, decision: short });
        for (const alternative of choice.runnable) {
          if (alternative === chosen || alternative === choice.spinning) continue;
          const cost = choice.staying !== undefined && alternative !== choice.staying ? 1 : 0;
          (levels[level + cost] ??= []).push({ from: run.decisions, step, decision: alternative });
        }
      }
    }
  }
  const finished = levels.slice(level).every((branches) => !branches || branches.length === 0);
  if (finished) return { runs, bound: levels.length - 1, partial: 0, complete: true };
  return { runs, bound: level - 1, partial: doneAtLevel, complete: false };
}

/** The coverage a bounded search reached, in words: "every schedule with at most 2 preemptions (and 37 with 3)". */
export function describeBounded(summary: BoundedSummary): string {
  if (summary.complete) return `every schedule (${summary.runs} runs)`;
  const plural = (n: number) => (n === 1 ? 'preemption' : 'preemptions');
  const partial = summary.partial > 0 ? ` and ${summary.partial} with ${summary.bound + 1}` : '';
  if (summary.bound < 0) return `${summary.partial} schedules without preemption (not all)`;
  return `every schedule with at most ${summary.bound} ${plural(summary.bound)}${partial}`;
}
