/**
 * The sandbox against a corpus of hostile submissions (test/hostile/*.ts, each saying at its top
 * what it attempts and what must happen), graded against the built-in exercise pipe-message
 * through one SandboxClient, as a worker grades a stream of students' submissions.
 *
 * For every program: the grading ends with the right status; it earns no more than an honest
 * do-nothing program (the exercise's starter), unless it also solves the task; grading it again
 * gives the same result; and the reference solution graded right after it, through the same
 * sandbox, gets exactly the verdict it gets alone in a fresh sandbox.
 */
import type { Group, RunResult } from '../kernel/types';
import { loadExercise, type SourceFile } from '../grader/exercise';
import { exerciseDefaults, grade, type GradeResult, type GradeStatus } from '../grader/grade';
import { runJob } from '../grader/sandbox';
import { SandboxClient } from '../grader/sandbox-client';
import { hostileCorpus, hostileSubmission as submission, tightPipeMessage as variant, verdict } from './support/hostile';

interface Expectation {
  status: GradeStatus | GradeStatus[];
  /** Graded once: its verdict depends on the collector's timing, or it costs seconds. */
  once?: true;
  /** It kills the sandbox's child (V8 aborts, or the watchdog fires): the client must notice and start a new one. */
  killsChild?: true;
  /** The grading's whole budget, when the attack is to outlast it. */
  budgetMs?: number;
  /** System-call groups enabled beyond pipe-message's own, so the attack reaches what it aims at. */
  groups?: Group[];
  /** The program also solves the task honestly: it must keep full marks. */
  solves?: true;
  /** What the grading's message, or one of its tests' messages, must say. */
  says?: RegExp;
}

const EXPECTED: Record<string, Expectation> = {
  'busy-loop': { status: 'timeout' },
  'yield-loop': { status: 'graded', says: /ran past the step limit/ },
  'handler-busy-loop': { status: 'timeout', groups: ['signal'] },
  // Graded once: under load a run's retries make the verdict's details differ. The kernel polls its budget about every
  // 10 ms of this program's slow steps (kernel/budget.ts), so its own stop comes before the hard stop and its message.
  'handler-yield-loop': { status: 'timeout', groups: ['signal'], says: /used up its CPU time/, once: true },
  'microtask-chain': { status: 'timeout' },
  'print-flood': { status: 'graded', says: /ran past the step limit/ },
  'atomics-wait': { status: 'timeout' },
  // Which limit a fresh heap's growth or a flood of small objects reaches first depends on how fast the collector works.
  'array-growth': { status: ['memory-limit', 'timeout'], once: true },
  'string-doubling': { status: 'memory-limit', once: true },
  'fatal-array-size': { status: 'memory-limit', once: true, killsChild: true },
  'promise-flood': { status: ['timeout', 'memory-limit'], once: true },
  'symbol-registry-flood': { status: ['memory-limit', 'timeout'], once: true },
  'atomics-wait-async': { status: 'graded', once: true },
  'leftover-microtask': { status: 'timeout' },
  'leftover-allocating-microtask': { status: 'timeout' },
  'uninterruptible-indexof': { status: 'timeout', once: true, killsChild: true, budgetMs: 1000 },
  'uninterruptible-includes': { status: 'timeout', once: true, killsChild: true, budgetMs: 1000 },
  'uninterruptible-lastindexof': { status: 'timeout', once: true, killsChild: true, budgetMs: 1000 },
  'typed-array-own-slice': { status: 'graded' },
  'unawaited-async-throw': { status: ['graded', 'internal-error'] },
  'typed-arrays': { status: 'graded' },
  'wasm-memory': { status: 'graded' },
  'deep-recursion': { status: 'graded' },
  'overflow-in-kernel-calls': { status: 'graded', solves: true },
  'prototype-pollution': { status: 'graded' },
  'intrinsic-hijack': { status: 'graded' },
  'reach-host': { status: 'graded' },
  'static-import': { status: 'compile-error' },
  'dynamic-import': { status: 'compile-error' },
  'stack-trace-tricks': { status: 'graded' },
  'caller-chain': { status: 'graded', groups: ['signal', 'thread'] },
  'walk-sys': { status: 'graded', groups: ['sync', 'shm'] },
  'read-hidden-tests': { status: 'graded' },
  'fake-result-json': { status: 'graded' },
  'runtime-entry-globals': { status: 'graded' },
  'throw-hostile-objects': { status: 'graded' },
  'kernel-argument-traps': { status: 'graded' },
  'fork-bomb': { status: 'graded' },
  'exit-then-continue': { status: 'graded' },
  'catch-exit': { status: 'graded' },
  'killed-keeps-running': { status: 'graded', groups: ['signal'] },
  'identity-hijack': { status: 'graded' },
  'weakref-finalizer': { status: 'graded' },
  'clock-and-random': { status: 'graded' },
  'regexp-channel': { status: 'graded' },
  'shared-frozen-object': { status: 'graded' },
  'clone-toctou': { status: 'graded' },
};

const corpus = hostileCorpus();
const base = loadExercise('pipe-message');

/** The sandbox every submission of the corpus goes through, in turn, and the one the reference is graded alone in. */
const client = new SandboxClient();
const alone = new SandboxClient();
afterAll(() => {
  client.close();
  alone.close();
});

function gradeWith(expectation: Expectation, source: SourceFile, sandbox = client): Promise<GradeResult> {
  return sandbox.grade({ exercise: variant(expectation.groups).pack, submission: source, options: { budgetMs: expectation.budgetMs } });
}

/** The reference solution's verdict in a fresh sandbox, by the groups enabled. */
const referenceAlone = new Map<string, Promise<unknown>>();

function referenceVerdictAlone(groups: Group[] = []): Promise<unknown> {
  const key = groups.join(',');
  if (!referenceAlone.has(key)) {
    referenceAlone.set(key, (async () => {
      const result = await gradeWith({ status: 'graded', groups }, base.solution, alone);
      alone.close();
      return verdict(result);
    })());
  }
  return referenceAlone.get(key)!;
}


let baseline: number;

beforeAll(async () => {
  const starter = await grade(variant().exercise, base.starter);
  expect(starter.status).toBe('graded');
  baseline = starter.score;
  expect(baseline).toBeLessThan(starter.maxScore);
});

describe('the hostile corpus', () => {
  test('has at least 25 programs, each with an expectation and a header saying what it attempts', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
    expect(corpus).toEqual(Object.keys(EXPECTED).sort());
    for (const name of corpus) expect(submission(name).source).toMatch(/^\/\*\*\n \* Attempts: [\s\S]*\n \* Must: /);
  });

  test.each(corpus)('%s: right status, no unearned marks, same result twice, the next submission graded as alone', async (name) => {
    const expectation = EXPECTED[name];
    const result = await gradeWith(expectation, submission(name));
    const statuses: GradeStatus[] = Array.isArray(expectation.status) ? expectation.status : [expectation.status];
    // The message goes along so that a wrong status says why.
    expect({ status: result.status, message: result.message })
      .toEqual({ status: statuses.includes(result.status) ? result.status : statuses.join(' or '), message: result.message });
    if (expectation.solves) expect(result.score).toBe(result.maxScore);
    else expect(result.score).toBeLessThanOrEqual(baseline);
    if (expectation.says) expect([result.message, ...result.tests.map((test) => test.message)].join('\n')).toMatch(expectation.says);
    if (expectation.killsChild) expect(client.childPid).toBeUndefined();
    if (!expectation.once) expect(verdict(await gradeWith(expectation, submission(name)))).toEqual(verdict(result));
    const reference = await gradeWith(expectation, base.solution);
    expect({ status: reference.status, score: reference.score }).toEqual({ status: 'graded', score: reference.maxScore });
    expect(reference.maxScore).toBeGreaterThan(0);
    expect(verdict(reference)).toEqual(await referenceVerdictAlone(expectation.groups));
    // The watchdog counts the child's CPU time (14 s for an uninterruptible builtin here): on a busy machine that takes longer.
  }, 240_000);
});

describe('what single runs of the corpus show', () => {
  function run(name: string, argv: string[], overrides: { maxSteps?: number; enable?: Group[] } = {}): Promise<RunResult> {
    const defaults = exerciseDefaults(base.metadata);
    return runJob({
      programs: [{ ...submission(name), argv }],
      settings: { ...defaults.settings, ...overrides, enable: overrides.enable ?? defaults.settings.enable },
      limits: { cpuMs: 2000 },
    });
  }

  test('a stack overflow kills the process with Uncaught RangeError, not the kernel', async () => {
    const result = await run('deep-recursion', ['hello']);
    expect(result.status).toBe('ok');
    expect(result.processes[0]).toMatchObject({ pid: 2, status: 1, stderr: 'Uncaught Maximum call stack size exceeded\n' });
  });

  test('overflows provoked inside kernel calls leave the kernel working', async () => {
    const result = await run('overflow-in-kernel-calls', ['hello']);
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('hello\n');
  });

  test('a print flood keeps 64 KiB of output, marks the cut, and ends at the step limit', async () => {
    const result = await run('print-flood', [], { maxSteps: 5000 });
    expect(result.status).toBe('step-limit');
    expect(result.stdout.endsWith('...[output truncated]\n')).toBe(true);
    expect(result.stdout.length).toBe(64 * 1024 + '...[output truncated]\n'.length);
  });

  test('a fork bomb meets EAGAIN at 64 processes and the run still ends', async () => {
    const result = await run('fork-bomb', []);
    expect(result.status).toBe('ok');
    expect(result.processes.length).toBeGreaterThanOrEqual(64);
    expect(result.stderr).toContain('EAGAIN');
    expect(result.processes.every((proc) => proc.status !== null)).toBe(true);
  });
});

/**
 * Attacks on the kernel's own handling of arguments and messages: the kernel keeps a plain copy of
 * every argument, taken in the caller's turn, and copies every message that is not a kernel handle.
 */
describe('arguments and messages', () => {
  test.each(['kernel-argument-traps', 'typed-array-own-slice'])('%s: arguments that would run inside the kernel end as the student\'s error, not as a kernel crash', async (name) => {
    const result = await gradeWith({ status: 'graded' }, submission(name));
    expect(result.tests.map((test) => test.message ?? '').join('\n')).not.toMatch(/simulated kernel failed/);
  });

  test('a frozen Map sent in a message is copied, not shared between processes', async () => {
    const result = await gradeWith({ status: 'graded', groups: ['msgqueue'] }, submission('shared-frozen-object'));
    expect(result.score).toBeLessThanOrEqual(baseline);
  });

  test('message data is checked and copied in one pass: no function reaches another process', async () => {
    const result = await gradeWith({ status: 'graded', groups: ['msgqueue'] }, submission('clone-toctou'));
    expect(result.score).toBeLessThanOrEqual(baseline);
  });
});

/** Sources too big to keep in the corpus, made here (one too slow to compile: grader/compiler.test.ts): each is the submission's compile error, and the next submission is graded as alone. */
describe('what the compiler is given', () => {
  test.each([
    ['a 70 KiB file', 'padding.ts', `export default async function main() {}\n${'// padding\n'.repeat(6500)}`, /^padding\.ts is 7\d KiB; a submission file may be at most 64 KiB\.$/],
    ['30,000 nested parentheses', 'nested.ts', `let a = ${'('.repeat(30_000)}1${')'.repeat(30_000)};`, /^nested\.ts could not be compiled: the code nests too deeply for the compiler\.$/],
  ])('%s is a compile error with a sentence, and the next submission scores as alone', async (_what, fileName, source, says) => {
    const result = await gradeWith({ status: 'compile-error' }, { fileName, source });
    expect({ status: result.status, message: result.message }).toEqual({ status: 'compile-error', message: expect.stringMatching(says) });
    expect(verdict(await gradeWith({ status: 'graded' }, base.solution))).toEqual(await referenceVerdictAlone());
  });
});
