/**
 * Grading: the submission against an exercise's tests, as named phases
 * (load tests, compile, run, score), each timed. Runs in the sandbox's child
 * process so that a V8 out-of-memory costs this job only.
 */
import type { RunResult } from '../kernel/types';
import { exerciseDefaults, type Exercise, type SourceFile } from './exercise';
import { aCoreIsIdle } from './idle-core';
import { loadTests, runTest, TestFileError, type Runner, type TestDefinition, type TestOutcome } from './harness';
import { JOB_BUDGET_MS, resolveLimits } from '../common/job';
import { GradingSession, processCpuMs, recentProcessCpuMs, spareGeneration, spareNeedsWarmUp } from './session';

export { exerciseDefaults };

export type GradeStatus = 'graded' | 'compile-error' | 'timeout' | 'memory-limit' | 'internal-error';

export interface GradeResult {
  status: GradeStatus;
  message: string | null;
  score: number;
  maxScore: number;
  tests: TestOutcome[];
  durationMs: number;
  /** Milliseconds spent in each phase, and how many runs were explored. */
  phases: Record<string, number>;
  runs: number;
}

export interface GradeOptions {
  visibleOnly?: boolean;
  /** Base seed of the exploration (default 1). */
  seed?: number;
  /** Milliseconds of CPU time the whole grading may use before it stops as `timeout` (default two minutes). */
  budgetMs?: number;
  /** Runs this test alone (its seeds do not depend on the others): how a stored counterexample is rebuilt whole. */
  onlyTest?: string;
  /** Runs these tests only, each with the outcome it has in a whole grading (a test's seeds do not depend on the others). */
  onlyTests?: readonly string[];
}

/** A run the sandbox had to cut off ends the grading: the same code would cut off again. */
class GradingStopped extends Error {
  constructor(readonly status: 'timeout' | 'memory-limit', message: string) {
    super(message);
  }
}

/**
 * Stops the grading at the first run the sandbox had to cut off (the same
 * code would cut off again), or once the whole job has used its budget of CPU
 * time (a busy machine slows a grading, but does not fail it). The stop is
 * kept: a test body may catch what its run threw, so the grading loop
 * rethrows it.
 */
function stoppingOnRunaways(runner: Runner, testName: () => string, budgetMs: number): Runner & { stopped: GradingStopped | null } {
  const cpuDeadline = processCpuMs() + budgetMs;
  return {
    stopped: null,
    async runMany(requests, options) {
      if (!this.stopped && recentProcessCpuMs() > cpuDeadline) {
        this.stopped = new GradingStopped('timeout', `In test '${testName()}': grading took more than ${budgetMs / 1000} s of CPU time in all, so it was stopped.`);
      }
      if (this.stopped) throw this.stopped;
      const results: RunResult[] = await runner.runMany(requests, options);
      for (const { status, message } of results) {
        if (status !== 'timeout' && status !== 'memory-limit') continue;
        this.stopped = new GradingStopped(status, `In test '${testName()}': ${message ?? status}`);
        throw this.stopped;
      }
      return results;
    },
  };
}


interface Phased {
  phases: Record<string, number>;
  time<T>(phase: string, work: () => T): T;
}

function phaseClock(): Phased {
  const phases: Record<string, number> = {};
  return {
    phases,
    time(phase, work) {
      const started = performance.now();
      const result = work();
      const record = (): void => {
        phases[phase] = (phases[phase] ?? 0) + Math.round((performance.now() - started) * 10) / 10;
      };
      if (result instanceof Promise) return result.finally(record) as typeof result;
      record();
      return result;
    },
  };
}

/**
 * Grades `submission`; never throws: every failure is a GradeResult with a sentence.
 * `open` opens its session (a warm-up opens one in the spare realm).
 */
export async function grade(exercise: Exercise, submission: SourceFile, options: GradeOptions = {}, open = GradingSession.open): Promise<GradeResult> {
  const started = performance.now();
  const clock = phaseClock();
  const finish = (partial: Omit<GradeResult, 'durationMs' | 'phases'>): GradeResult => ({
    ...partial,
    durationMs: Math.round(performance.now() - started),
    phases: clock.phases,
  });

  let tests: { test: TestDefinition; visible: boolean }[];
  try {
    tests = clock.time('load', () => [
      ...loadTests(exercise.visibleTests.source, exercise.visibleTests.fileName).map((test) => ({ test, visible: true })),
      ...(options.visibleOnly ? [] : loadTests(exercise.hiddenTests.source, exercise.hiddenTests.fileName).map((test) => ({ test, visible: false }))),
    ].filter(({ test }) => (options.onlyTest === undefined || test.name === options.onlyTest)
      && (options.onlyTests === undefined || options.onlyTests.includes(test.name))));
  } catch (error) {
    const message = error instanceof TestFileError ? error.message : String(error);
    return finish({ status: 'internal-error', message: `The exercise's tests could not be loaded: ${message}`, score: 0, maxScore: 0, tests: [], runs: 0 });
  }
  const maxScore = tests.reduce((sum, { test }) => sum + test.weight, 0);

  const session = await clock.time('compile', () => open([submission], exercise.metadata.limits));
  if ('compileError' in session) {
    return finish({ status: 'compile-error', message: session.compileError, score: 0, maxScore, tests: [], runs: 0 });
  }
  const outcomes: TestOutcome[] = [];
  let current = '';
  const runner = stoppingOnRunaways(session, () => current, options.budgetMs ?? JOB_BUDGET_MS);
  const defaults = exerciseDefaults(exercise.metadata);
  try {
    await clock.time('run', async () => {
      for (const { test, visible } of tests) {
        current = test.name;
        // A test whose requirement failed still runs: if it fails on its own, its own message says more.
        const outcome = await runTest(test, visible, runner, defaults, options.seed ?? 1);
        if (runner.stopped) throw runner.stopped;
        outcomes.push(outcome);
      }
    });
  } catch (error) {
    if (error instanceof GradingStopped) {
      return finish({ status: error.status, message: error.message, score: 0, maxScore, tests: outcomes, runs: session.runCount });
    }
    return finish({ status: 'internal-error', message: `Grading failed (not your fault): ${(error as Error).message}`, score: 0, maxScore, tests: outcomes, runs: session.runCount });
  } finally {
    session.close();
  }
  const score = clock.time('score', () => {
    withholdUnmetRequirements(tests.map(({ test }) => test), outcomes);
    return Math.round(outcomes.reduce((sum, outcome) => sum + outcome.score, 0) * 100) / 100;
  });
  return finish({ status: 'graded', message: null, score, maxScore, tests: outcomes, runs: session.runCount });
}

/**
 * Warms the realm the next submission will be graded in, while the process has nothing else to
 * do: the exercise's reference solution (trusted code, so nothing of a student is in it) is graded
 * there again and again (session.ts's WARM_UP_GRADINGS), with other seeds, until V8 has optimised
 * the kernel's hot paths. A fresh realm's first grading otherwise costs about five warm ones. A
 * grading that starts meanwhile takes the realm as it is, and the warm-up stops; while
 * `coreIsIdle` says other processes want every core, the warm-up waits (by default: idle-core.ts,
 * the machine's runnable tasks).
 */
export async function warmUpNextRealm(exercise: Exercise, { coreIsIdle = aCoreIsIdle }: { coreIsIdle?: () => boolean } = {}): Promise<void> {
  const generation = spareGeneration();
  const { memoryMb } = resolveLimits(exercise.metadata.limits);
  const open: typeof GradingSession.open = (modules, limits) => GradingSession.openWarmUp(modules, limits, coreIsIdle);
  for (let round = 1; spareGeneration() === generation && spareNeedsWarmUp(memoryMb); round++) {
    const result = await grade(exercise, exercise.solution, { seed: 1 + round * 1_000 }, open);
    if (result.status !== 'graded') return;
  }
}

/**
 * A test whose required tests did not all pass earns nothing; its message
 * still gives its own outcome, and says which test it waits for and why.
 */
function withholdUnmetRequirements(tests: TestDefinition[], outcomes: TestOutcome[]): void {
  const passed = new Set(outcomes.filter((outcome) => outcome.passed).map((outcome) => outcome.name));
  tests.forEach((test, index) => {
    const unmet = test.requires.find((name) => !passed.has(name));
    const outcome = outcomes[index];
    if (unmet === undefined || !outcome) return;
    const why = `it counts only once '${unmet}' passes, since a program that does not do the work holds this property too`;
    outcome.message = outcome.passed ? `its own checks held in every run, but ${why}` : `${outcome.message ?? 'it failed'}; and ${why}`;
    outcome.score = 0;
    outcome.passed = false;
  });
}
