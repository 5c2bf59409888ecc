/**
 * The test harness exercise authors write against (documented in
 * grader/README.md). A test file's default export receives a `Suite`, declares
 * tests with it, and each test starts the submission's processes, runs them
 * once or explores many schedules, and asserts properties on every run.
 * Tests run in the grader's process; only run requests reach the sandbox, so
 * hidden tests never enter the student's isolate.
 */
import ts from 'typescript';
import type { Group, NetworkFaults, RaceReport, RunResult, Strategy, TraceEntry } from '../kernel/types';
import { describeBounded, exploreBounded, exploreExhaustively } from './exhaustive';
import { pctStepsFor, type KernelSettings } from '../common/job';
import { abnormalEnds, props, situations, unfinished, type Properties, type Property, type Situations } from './properties';

/** One process the run starts from the submission: an export, its argv and stdin, its host. */
export interface ProgramLaunch {
  /** Which of the session's modules (default the first: a submission is one module). */
  module?: number;
  entry?: string;
  argv?: unknown[];
  stdin?: string;
  host?: string;
}

/** A run as plain data; the submission's module is implied. */
export interface RunRequest {
  settings: KernelSettings;
  programs: ProgramLaunch[];
}

export interface RunManyOptions {
  /** End the batch after the first run that hits the step limit (its results stop there). */
  stopAtStepLimit?: boolean;
}

/** What runs the submission (the sandbox, in production). */
export interface Runner {
  runMany(requests: RunRequest[], options?: RunManyOptions): Promise<RunResult[]>;
}

/** What a test may set for its runs; the exercise's metadata gives the defaults. */
export interface RunSpec {
  /** The processes to start (default: the exercise's first entry, once). */
  programs?: ProgramLaunch[];
  /** Shorthands for a single program's argv and stdin. */
  argv?: unknown[];
  stdin?: string;
  files?: Record<string, string>;
  enable?: 'all' | Group[];
  pipeCapacity?: number;
  pipeBuf?: number;
  linkCapacity?: number;
  mailboxCapacity?: number;
  msgqueueCapacity?: number;
  maxProcs?: number;
  maxSteps?: number;
  network?: NetworkFaults;
  hosts?: string[];
  schedule?: Exclude<Strategy, 'replay'>;
  seed?: number;
  pctDepth?: number;
  /** Record the trace, for properties that read it. */
  trace?: boolean;
}

/** How explore chooses schedules beside its round-robin run: sampled seeds, or a preemption-bounded search. */
export type ExploreStrategy = 'random' | 'pct' | 'icb';

/** Random and PCT seeds in turn, and a share of the runs for iterative context bounding. */
export const DEFAULT_STRATEGIES: readonly ExploreStrategy[] = ['random', 'pct', 'icb'];

/**
 * How many preemptions the default's bounded search covers completely when its share of runs allows: two preemptions inside
 * spin loops (Peterson's lock with its stores reordered) are past what random and PCT seeds reliably reach in 200 runs.
 */
export const ICB_BOUND = 2;

export interface ExploreSpec extends RunSpec {
  /**
   * How many schedules to sample (default 200): one round robin, then seeds
   * of the sampling strategies in turn. With 'icb' a preemption-bounded
   * search runs up to half as many again, until it has covered every schedule
   * with at most ICB_BOUND preemptions (all of them when it is the only strategy).
   */
  runs?: number;
  strategies?: ExploreStrategy[];
  /**
   * Instead of sampling, enumerate interleavings depth first (with partial-order
   * reduction) until all are covered or `runs` is reached: for small programs.
   */
  exhaustive?: boolean;
}

export interface TestOptions {
  weight?: number;
  /** Credit in proportion to the properties that held in every run (default), or all or nothing. */
  partial?: boolean;
  /**
   * Tests that must pass for this one to count: hygiene properties (no zombie,
   * no leaked descriptor) hold vacuously for a program that does nothing.
   */
  requires?: string[];
}

export interface TestContext {
  /** One run (round robin unless the spec says otherwise); checks the properties on it. */
  run(spec?: RunSpec, properties?: Property[]): Promise<RunResult>;
  /** Many schedules; each property must hold in every one. */
  explore(spec: ExploreSpec, properties: Property[]): Promise<void>;
  /** Fails the test with a message for the student. */
  fail(message: string): never;
}

export type TestBody = (t: TestContext) => Promise<void> | void;

export interface Suite {
  test(name: string, options: TestOptions, body: TestBody): void;
  test(name: string, body: TestBody): void;
  props: Properties;
  /** Predicates that diagnose a run's situation, for hints shown only when they match. */
  situations: Situations;
}

export interface TestDefinition {
  name: string;
  weight: number;
  partial: boolean;
  requires: string[];
  body: TestBody;
}

/** What replays a failing run exactly: `schedule: 'replay'` with these decisions and seed. */
export interface Counterexample {
  seed: number;
  strategy: Strategy;
  /** The scheduling decisions that matter; past them the replay continues round robin. */
  decisions: string[];
  trace: TraceEntry[];
  /** Entries the kernel dropped from the front of a long trace (it keeps the last 20,000). */
  traceDropped: number;
  /** Entries the platform left out of the stored trace (it keeps the end); the worker rebuilds them on demand. */
  traceTrimmed?: number;
  /** The data races of that replay, so a viewer can mark the two accesses without re-running it. */
  races: RaceReport[];
  /**
   * The failing run's inputs (programs with argv and stdin, kernel settings), so the browser can replay it
   * step by step; absent in results stored before it existed. A hidden test's counterexample reaches a
   * student only when the assignment shows hidden tests (lib/submissions.ts withholds it otherwise).
   */
  request?: RunRequest;
}

export interface TestOutcome {
  name: string;
  weight: number;
  visible: boolean;
  passed: boolean;
  /** Points earned: the weight, a share of it (partial credit), or 0. */
  score: number;
  message: string | null;
  counterexample: Counterexample | null;
  /** Properties checked and how each fared, for partial credit. */
  properties: { name: string; held: boolean }[];
  runs: number;
  /** What the exploration covered, in words ("every schedule with at most 2 preemptions, and 150 sampled schedules"); null for single runs. */
  coverage: string | null;
}

export class TestFileError extends Error {}

/** Transpiled test files by file name and source: every grading of an exercise loads the same ones. */
const transpiled = new Map<string, string>();
const TRANSPILED_KEPT = 256;

/** The test file as JavaScript; each grading still evaluates it afresh, so no test's module state carries over. */
function transpileTests(source: string, fileName: string): string {
  const key = `${fileName}\0${source}`;
  const known = transpiled.get(key);
  if (known !== undefined) return known;
  const output = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, alwaysStrict: true },
  });
  const error = output.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (error) throw new TestFileError(`${fileName}: ${ts.flattenDiagnosticMessageText(error.messageText, ' ')}`);
  if (transpiled.size >= TRANSPILED_KEPT) transpiled.delete(transpiled.keys().next().value!);
  transpiled.set(key, output.outputText);
  return output.outputText;
}

/** Evaluates a test file (TypeScript or JavaScript) and collects its tests. */
export function loadTests(source: string, fileName: string): TestDefinition[] {
  const code = transpileTests(source, fileName);
  const module = { exports: {} as Record<string, unknown> };
  const noImports = (name: string): never => {
    throw new TestFileError(`${fileName}: tests cannot import '${name}' at run time; use the suite's props`);
  };
  try {
    new Function('exports', 'module', 'require', code)(module.exports, module, noImports);
  } catch (cause) {
    if (cause instanceof TestFileError) throw cause;
    throw new TestFileError(`${fileName}: ${(cause as Error).message}`);
  }
  const define = module.exports.default;
  if (typeof define !== 'function') throw new TestFileError(`${fileName}: the default export must be a function that receives the suite`);
  const tests: TestDefinition[] = [];
  const suite: Suite = {
    test(name: string, optionsOrBody: TestOptions | TestBody, maybeBody?: TestBody) {
      const [options, body] = typeof optionsOrBody === 'function' ? [{}, optionsOrBody] : [optionsOrBody, maybeBody];
      if (typeof body !== 'function') throw new TestFileError(`${fileName}: test '${name}' has no body`);
      if (tests.some((t) => t.name === name)) throw new TestFileError(`${fileName}: two tests are named '${name}'`);
      tests.push({ name, weight: options.weight ?? 1, partial: options.partial ?? true, requires: options.requires ?? [], body });
    },
    props,
    situations,
  };
  define(suite);
  return tests;
}

/** Thrown by `t.fail` and by failing properties of `t.run`, to end the test body. */
class TestFailure extends Error {}

interface CheckRecord {
  name: string;
  kind: Property['kind'];
  held: boolean;
  message: string | null;
  /**
   * The failing run's schedule and request, to build the counterexample from, and how to tell that
   * another run fails alike (null for a run stopped at the step limit: it is replayed whole).
   */
  failure: { request: RunRequest; run: RunResult; failsAlike: ((run: RunResult) => boolean) | null } | null;
}

/**
 * Runs one test against the submission. `defaults` carries the exercise's
 * settings; `baseSeed` offsets every seed, so a regrade can explore anew.
 */
export async function runTest(test: TestDefinition, visible: boolean, runner: Runner, defaults: RunRequest, baseSeed: number): Promise<TestOutcome> {
  const checks: CheckRecord[] = [];
  const coverage: string[] = [];
  let runs = 0;
  let lastRun = null as { request: RunRequest; run: RunResult } | null;

  const request = (spec: RunSpec): RunRequest => {
    const { programs, argv, stdin, schedule, seed, pctDepth, ...settings } = spec;
    const launches = programs ?? [{ ...defaults.programs[0], ...(argv ? { argv } : {}), ...(stdin !== undefined ? { stdin } : {}) }];
    return {
      programs: launches,
      settings: {
        ...defaults.settings,
        ...settings,
        files: { ...defaults.settings.files, ...spec.files },
        schedule: schedule ?? 'rr',
        seed: baseSeed + (seed ?? 0),
        pctDepth: pctDepth ?? defaults.settings.pctDepth,
      },
    };
  };

  const check = (properties: readonly Property[], req: RunRequest, run: RunResult, records: CheckRecord[], where: string): void => {
    const problems = properties.map((property) => property.check(run));
    properties.forEach((_, index) => {
      const record = records[index];
      if (!record.held) return;
      const text = failureText(properties, index, run, problems);
      if (text === null) return;
      record.held = false;
      record.message = `${text} (${where})`;
      // The counterexample must show what this message says: its replay fails with the same words.
      record.failure = { request: req, run, failsAlike: (other) => failureText(properties, index, other) === text };
    });
  };

  /**
   * A run that hits the step limit ends the exploration at once (a livelock
   * costs one run, not hundreds), and what it could not establish fails with
   * it: the properties still holding were never checked on the runs not made.
   */
  const endsAtStepLimit = (req: RunRequest, run: RunResult, records: CheckRecord[], where: string): boolean => {
    if (run.status !== 'step-limit') return false;
    for (const record of records) {
      if (!record.held) continue;
      record.held = false;
      record.message = `${run.message ?? 'the run never ended'} (${where})`;
      record.failure = { request: req, run, failsAlike: null };
    }
    return true;
  };

  const register = (properties: readonly Property[]): CheckRecord[] => {
    const records = properties.map((p) => ({ name: p.name, kind: p.kind, held: true, message: null, failure: null }));
    checks.push(...records);
    return records;
  };

  const context: TestContext = {
    async run(spec = {}, properties = []) {
      const req = request(spec);
      const [result] = await runner.runMany([req]);
      runs++;
      lastRun = { request: req, run: result };
      const records = register(properties);
      check(properties, req, result, records, describeSchedule(req, 1, 1));
      const failed = records.find((r) => !r.held);
      if (failed) throw new TestFailure(failed.message!);
      return result;
    },
    async explore({ runs: requested, strategies = [...DEFAULT_STRATEGIES], exhaustive, ...spec }, properties) {
      const total = Math.max(1, requested ?? 200);
      const records = register(properties);
      const base = request(spec);
      /** Checks a run of a systematic search; false ends the search (nothing left to find, or a livelock). */
      const visitor = (where: () => string) => (req: RunRequest, result: RunResult): boolean => {
        runs++;
        check(properties, req, result, records, where());
        if (endsAtStepLimit(req, result, records, where())) return false;
        return records.some((r) => r.held);
      };
      if (exhaustive) {
        const first = runs;
        const summary = await exploreExhaustively(runner, base, total, visitor(() => `found by exhaustive exploration, run ${runs - first}`));
        coverage.push(summary.complete ? `every interleaving (${summary.runs} runs)` : `${summary.runs} interleavings (not all)`);
        return;
      }
      const [first] = await runner.runMany([base]);
      runs++;
      check(properties, base, first, records, describeSchedule(base, 1, total));
      if (endsAtStepLimit(base, first, records, describeSchedule(base, 1, total))) return;
      const sampling = strategies.filter((strategy): strategy is 'random' | 'pct' => strategy !== 'icb');
      const covered = ['round robin'];
      // PCT spreads its change points over the run's length, measured by the first run.
      const pctSteps = pctStepsFor(first);
      const batchSize = 50;
      const sampled = sampling.length === 0 ? 0 : total - 1;
      let made = 0;
      for (let start = 1; start <= sampled && records.some((r) => r.held); start += batchSize) {
        const batch: RunRequest[] = [];
        for (let i = start; i < Math.min(sampled + 1, start + batchSize); i++) {
          const strategy = sampling[(i - 1) % sampling.length];
          batch.push({ ...base, settings: { ...base.settings, schedule: strategy, seed: base.settings.seed! + i, pctSteps } });
        }
        const results = await runner.runMany(batch, { stopAtStepLimit: true });
        runs += results.length;
        made += results.length;
        results.forEach((result, j) => check(properties, batch[j], result, records, describeSchedule(batch[j], start + j + 1, total)));
        const limited = results.findIndex((result) => result.status === 'step-limit');
        if (limited >= 0 && endsAtStepLimit(batch[limited], results[limited], records, describeSchedule(batch[limited], start + limited + 1, total))) break;
      }
      if (made > 0) covered.push(`${made} sampled schedule${made === 1 ? '' : 's'} (${sampling.join(', ')})`);
      // The bounded search comes after the sampled seeds and on top of them, so every seed a test sampled before still runs. Beside
      // sampling it gets up to half as many runs again, and stops once it has run every schedule with at most ICB_BOUND preemptions.
      const alone = sampling.length === 0;
      const bounded = strategies.includes('icb') ? (alone ? total - 1 : Math.floor(total / 2)) : 0;
      if (bounded > 0 && records.some((r) => r.held)) {
        const before = runs;
        const where = () => `found by the preemption-bounded search, run ${runs - before} of ${bounded}`;
        const summary = await exploreBounded(runner, base, bounded, visitor(where), alone ? Infinity : ICB_BOUND);
        covered.push(describeBounded(summary));
      }
      coverage.push(covered.join(', '));
    },
    fail(message) {
      throw new TestFailure(message);
    },
  };

  let thrown: string | null = null;
  try {
    await test.body(context);
  } catch (error) {
    if (!(error instanceof TestFailure) || !checks.some((c) => !c.held)) {
      thrown = error instanceof TestFailure ? error.message : `the test itself failed: ${(error as Error).message}`;
    }
  }
  const properties = checks.map((c) => ({ name: c.name, held: c.held }));
  if (thrown !== null) properties.push({ name: 'test assertion', held: false });
  const held = properties.filter((p) => p.held).length;
  const passed = held === properties.length;
  const firstFailure = checks.find((c) => !c.held);
  // Safety properties hold for a program that does nothing: they earn a share only beside some work done.
  const functional = checks.filter((c) => c.kind === 'functional');
  const nothingDone = thrown !== null ? checks.every((c) => c.kind !== 'functional' || !c.held) : functional.length > 0 && functional.every((c) => !c.held);
  const score = passed ? test.weight : test.partial && properties.length > 0 && !nothingDone ? round(test.weight * held / properties.length) : 0;
  let counterexample: Counterexample | null = null;
  if (firstFailure?.failure) counterexample = await shrink(runner, firstFailure.failure.request, firstFailure.failure.run, firstFailure.failure.failsAlike);
  else if (thrown !== null && lastRun) counterexample = await shrink(runner, lastRun.request, lastRun.run, null);
  return {
    name: test.name,
    weight: test.weight,
    visible,
    passed,
    score,
    message: passed ? null : firstFailure?.message ?? thrown,
    counterexample,
    properties,
    runs,
    coverage: coverage.length > 0 ? coverage.join('; ') : null,
  };
}

/**
 * What `properties[index]` finds wrong with `run`, in the words the student
 * reads (where it was found aside), or null when it holds. `problems` are the
 * properties' own checks of `run`, when made already.
 */
function failureText(properties: readonly Property[], index: number, run: RunResult, problems = properties.map((p) => p.check(run))): string | null {
  const problem = problems[index] ?? (properties[index].kind === 'hygiene' ? unearnedHygiene(properties, problems, run) : null);
  if (problem === null) return null;
  // The abnormal end of a process is often the real cause of a distant symptom: always name it.
  const ends = abnormalEnds(run);
  return `${problem}${ends && !problem.includes(ends) ? `; ${ends}` : ''}`;
}

/**
 * Cleaning up counts only where the work was done: on a run that did not end
 * normally, or whose output a functional property of the same check refused,
 * a hygiene property (no zombie, no leaked descriptor or segment) does not hold.
 */
function unearnedHygiene(properties: readonly Property[], problems: (string | null)[], run: RunResult): string | null {
  if (!properties.some((p) => p.kind === 'hygiene')) return null;
  if (run.status !== 'ok') return `nothing is cleaned up in a run that does not end normally: ${unfinished(run)}`;
  const failed = properties.findIndex((p, index) => p.kind === 'functional' && problems[index] !== null);
  return failed === -1 ? null : `cleaning up counts only in a run that did the work, and this one failed '${properties[failed].name}'`;
}

function round(points: number): number {
  return Math.round(points * 100) / 100;
}

function describeSchedule(req: RunRequest, index: number, total: number): string {
  const { schedule, seed } = req.settings;
  return total > 1 ? `found by the ${schedule} schedule with seed ${seed}, run ${index} of ${total}` : `${schedule} schedule, seed ${seed}`;
}

/**
 * The failing run as a replay: the shortest prefix of its decisions after
 * which round robin still fails alike, in the words of the failure's message
 * (binary search; each candidate is replayed for real), with the trace of
 * that replay. Without `failsAlike` (a test that threw, a run stopped at the
 * step limit) every decision is kept, and the replay must end as the run did.
 */
async function shrink(runner: Runner, req: RunRequest, failing: RunResult, failsAlike: ((run: RunResult) => boolean) | null): Promise<Counterexample> {
  const decisions = failing.decisions;
  const replayOf = (count: number, trace: boolean): RunRequest => ({
    ...req,
    // Replayed as `rendezvous run --replay` does: round robin past the decisions, whatever search found them.
    settings: { ...req.settings, schedule: 'replay', decisions: decisions.slice(0, count), trace, afterReplay: 'rr', recordChoices: false },
  });
  const stillFails = failsAlike ?? ((run: RunResult): boolean => run.status === failing.status && run.stdout === failing.stdout);
  let low = 0;
  let high = decisions.length;
  // A run that hit the step limit is replayed whole: each probe of a search would cost as much again.
  if (failsAlike && failing.status !== 'step-limit') {
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      const [run] = await runner.runMany([replayOf(middle, false)]);
      if (stillFails(run)) high = middle;
      else low = middle + 1;
    }
  }
  const [replayed] = await runner.runMany([replayOf(high, true)]);
  const exact = stillFails(replayed) ? replayed : (await runner.runMany([replayOf(decisions.length, true)]))[0];
  const kept = exact === replayed ? high : decisions.length;
  return {
    seed: req.settings.seed ?? 1,
    strategy: req.settings.schedule ?? 'rr',
    decisions: decisions.slice(0, kept),
    trace: exact.trace ?? [],
    traceDropped: exact.traceDropped,
    races: exact.races,
    request: req,
  };
}
