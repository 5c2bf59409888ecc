import { exploreExhaustively } from './exhaustive';
import { loadTests, runTest, TestFileError, type RunRequest, type TestDefinition } from './harness';
import { props } from './properties';
import { GradingSession } from './session';

/** Two processes print their letter; the order depends on the schedule. */
const RACY_PRINT = `
export default async function main(sys) {
  const pid = await sys.fork();
  if (pid === 0) { await sys.print('B'); return 0; }
  await sys.print('A');
  await sys.wait();
}`;

/** Two first processes: their yields commute with everything, their prints do not. */
const TWO_PRINTERS = `
async function printer(sys, letter) {
  await sys.yield();
  await sys.print(letter + 1);
  await sys.yield();
  await sys.print(letter + 2);
  await sys.yield();
}
export const left = (sys) => printer(sys, 'a');
export const right = (sys) => printer(sys, 'b');`;

async function session(source: string): Promise<GradingSession> {
  const opened = await GradingSession.open([{ source, fileName: 'submission.ts' }]);
  if ('compileError' in opened) throw new Error(opened.compileError);
  return opened;
}

const defaults: RunRequest = { programs: [{}], settings: {} };

function definition(body: TestDefinition['body'], weight = 2): TestDefinition {
  return { name: 'under test', weight, partial: true, requires: [], body };
}

describe('the test harness', () => {
  let racy: GradingSession;
  beforeAll(async () => {
    racy = await session(RACY_PRINT);
  });
  afterAll(() => racy.close());

  it('explore finds the schedule under which a property fails and names it', async () => {
    const outcome = await runTest(definition((t) => t.explore({ runs: 100 }, [props.stdoutIs('A\nB\n')])), false, racy, defaults, 1);
    expect(outcome.passed).toBe(false);
    expect(outcome.score).toBe(0);
    expect(outcome.message).toMatch(/stdout was "B\\nA\\n" but should be "A\\nB\\n" \(found by (the (random|pct) schedule with seed \d+), run \d+ of 100\)/);
  });

  it('a counterexample replays exactly and fails the same way', async () => {
    const outcome = await runTest(definition((t) => t.explore({ runs: 100 }, [props.stdoutIs('A\nB\n')])), false, racy, defaults, 1);
    const example = outcome.counterexample!;
    expect(example.trace.length).toBeGreaterThan(0);
    const [replayed] = await racy.runMany([{ programs: [{}], settings: { schedule: 'replay', decisions: example.decisions, seed: example.seed } }]);
    expect(replayed.stdout).toBe('B\nA\n');
  });

  it("a counterexample's replay fails in the words of the message, not merely the same property", async () => {
    // Round robin lets the child write every word first; other schedules read part of them, and how much is the schedule's.
    const partial = await session(`
export default async function main(sys) {
  const [readEnd, writeEnd] = await sys.pipe();
  if ((await sys.fork()) === 0) {
    for (const word of ['one ', 'two ', 'three ', 'four ', 'five']) await sys.write(writeEnd, word);
    return 0;
  }
  for (let i = 0; i < 6; i++) await sys.yield();
  await sys.print(await sys.read(readEnd, 100));
  await sys.wait();
}`);
    try {
      for (let baseSeed = 1; baseSeed <= 8; baseSeed++) {
        const outcome = await runTest(definition((t) => t.explore({ runs: 50 }, [props.stdoutIs('one two three four five\n')])), false, partial, defaults, baseSeed);
        const example = outcome.counterexample!;
        const [replayed] = await partial.runMany([{ programs: [{}], settings: { schedule: 'replay', decisions: example.decisions, seed: example.seed } }]);
        expect({ baseSeed, message: outcome.message }).toEqual({ baseSeed, message: expect.stringContaining(`stdout was ${JSON.stringify(replayed.stdout)}`) });
      }
    } finally {
      partial.close();
    }
  });

  it('a counterexample keeps only the decisions that matter', async () => {
    const outcome = await runTest(definition((t) => t.explore({ runs: 100 }, [props.stdoutIs('A\nB\n')])), false, racy, defaults, 1);
    const steps = outcome.counterexample!.trace.length;
    expect(outcome.counterexample!.decisions.length).toBeLessThan(steps);
  });

  it('a counterexample of a run longer than the kernel keeps says how much of its trace was dropped', async () => {
    const long = await session(`export default async function main(sys) { for (let i = 0; i < 25000; i++) await sys.yield(); await sys.print('done'); }`);
    try {
      const outcome = await runTest(definition(async (t) => { await t.run({}, [props.stdoutIs('something else\n')]); }), false, long, defaults, 1);
      const example = outcome.counterexample!;
      expect(example.traceDropped).toBeGreaterThan(0);
      expect(example.trace.length + example.traceDropped).toBeGreaterThan(25000);
    } finally {
      long.close();
    }
  });

  it('gives partial credit for the properties that held in every run', async () => {
    const outcome = await runTest(definition((t) => t.explore({ runs: 50 }, [props.stdoutIs('A\nB\n'), props.stdoutLines(['A', 'B'])]), 4), true, racy, defaults, 1);
    expect(outcome.properties).toEqual([{ name: 'stdout', held: false }, { name: 'stdout lines', held: true }]);
    expect(outcome.score).toBe(2);
  });

  it('safety properties earn nothing when every functional property of the test failed', async () => {
    const body: TestDefinition['body'] = (t) => t.explore({ runs: 20 }, [props.stdoutIs('nothing like it\n'), props.noZombies(), props.finishes()]);
    const outcome = await runTest(definition(body, 3), true, racy, defaults, 1);
    // No zombies is hygiene: it holds only on runs that did the work, so it fails with the output here.
    expect(outcome.properties.map((p) => p.held)).toEqual([false, false, true]);
    expect(outcome.score).toBe(0);
  });

  it('all-or-nothing tests give no credit when one property fails', async () => {
    const body: TestDefinition['body'] = (t) => t.explore({ runs: 50 }, [props.stdoutIs('A\nB\n'), props.noZombies()]);
    const outcome = await runTest({ name: 'strict', weight: 4, partial: false, requires: [], body }, true, racy, defaults, 1);
    expect(outcome.score).toBe(0);
  });

  it('a passing test earns its whole weight and has no counterexample', async () => {
    const outcome = await runTest(definition((t) => t.explore({ runs: 50 }, [props.stdoutLines(['A', 'B']), props.finishes()]), 3), true, racy, defaults, 1);
    expect(outcome).toMatchObject({ passed: true, score: 3, message: null, counterexample: null });
    // 50 sampled schedules (round robin first), and up to half as many for the preemption-bounded search, which stops once it has covered 2 preemptions.
    expect(outcome.runs).toBeGreaterThan(50);
    expect(outcome.runs).toBeLessThan(75);
    expect(outcome.coverage).toMatch(/^round robin, 49 sampled schedules \(random, pct\), every schedule (\(\d+ runs\)|with at most 2 preemptions)$/);
  });

  it('a custom assertion failure becomes the test message', async () => {
    const outcome = await runTest(definition(async (t) => {
      const run = await t.run();
      if (!run.stdout.startsWith('B')) t.fail('B should print first');
    }), true, racy, defaults, 1);
    expect(outcome).toMatchObject({ passed: false, message: 'B should print first' });
    expect(outcome.counterexample).not.toBeNull();
  });

  it('exhaustive exploration finds an ordering that random sampling must get lucky to see', async () => {
    const outcome = await runTest(definition((t) => t.explore({ runs: 50, exhaustive: true }, [props.stdoutIs('A\nB\n')])), false, racy, defaults, 1);
    expect(outcome.passed).toBe(false);
    expect(outcome.message).toMatch(/exhaustive exploration/);
  });

  it('partial-order reduction covers every order of dependent steps and skips reorderings of independent ones', async () => {
    const printers = await session(TWO_PRINTERS);
    try {
      const outputs = new Set<string>();
      const both: RunRequest = { programs: [{ entry: 'left' }, { entry: 'right' }], settings: {} };
      const summary = await exploreExhaustively(printers, both, 5000, (_request, run) => {
        outputs.add(run.stdout);
        return true;
      });
      expect(summary.complete).toBe(true);
      // The four prints interleave in C(4,2) = 6 orders, each keeping a1 before a2 and b1 before b2.
      expect(outputs.size).toBe(6);
      // Without reduction, two threads of six steps each interleave in C(12,6) = 924 ways.
      expect(summary.runs).toBeLessThan(60);
    } finally {
      printers.close();
    }
  });
});

describe('a livelock costs one run', () => {
  /** Spins on a shared cell nobody sets under some schedules: the parent waits for a flag the child sets only when it runs first. */
  const SOMETIMES_SPINS = `
  export default async function main(sys) {
    const flag = await sys.shmat(await sys.shmget('flag', 1));
    if (await sys.fork() === 0) { await flag.store(0, 1); return 0; }
    await sys.yield();
    if ((await flag.load(0)) === 0) for (;;) await sys.yield();
    await sys.wait();
  }`;

  it('a run that hits the step limit ends the exploration of the test at once', async () => {
    const spinning = await session(SOMETIMES_SPINS);
    try {
      const outcome = await runTest(definition((t) => t.explore({ runs: 200, maxSteps: 5000 }, [props.finishes(), props.noRace()])), false, spinning, defaults, 1);
      expect(outcome.passed).toBe(false);
      expect(outcome.message).toMatch(/step limit/);
      expect(outcome.runs).toBeLessThan(50);
      // What the livelocked run could not establish fails with it: noRace was never checked on the runs not made.
      expect(outcome.properties).toEqual([{ name: expect.any(String), held: false }, { name: expect.any(String), held: false }]);
    } finally {
      spinning.close();
    }
  });

  it('a batch asked to stop at the step limit ends at its first step-limited run', async () => {
    const forever = await session('export default async function main(sys) { for (;;) await sys.yield(); }');
    try {
      const requests: RunRequest[] = [1, 2, 3, 4, 5].map((seed) => ({ programs: [{}], settings: { schedule: 'random', seed, maxSteps: 1000 } }));
      expect((await forever.runMany(requests, { stopAtStepLimit: true })).map((run) => run.status)).toEqual(['step-limit']);
      expect(await forever.runMany(requests)).toHaveLength(5);
    } finally {
      forever.close();
    }
  });
});

describe('test files', () => {
  it('collects the tests a file declares, with weights', () => {
    const tests = loadTests(`export default ({ test }) => { test('a', { weight: 3 }, () => {}); test('b', () => {}); }`, 'tests/hidden.ts');
    expect(tests.map(({ name, weight }) => ({ name, weight }))).toEqual([{ name: 'a', weight: 3 }, { name: 'b', weight: 1 }]);
  });

  it.each([
    ['a syntax error', 'export default (', /tests\/hidden.ts: /],
    ['a runtime import', `import fs from 'fs'; export default () => fs;`, /cannot import 'fs'/],
    ['no default export', 'export const x = 1;', /default export must be a function/],
    ['two tests with one name', `export default ({ test }) => { test('a', () => {}); test('a', () => {}); }`, /two tests are named 'a'/],
  ])('rejects %s with a sentence naming the file', (_what, source, message) => {
    expect(() => loadTests(source, 'tests/hidden.ts')).toThrow(TestFileError);
    expect(() => loadTests(source, 'tests/hidden.ts')).toThrow(message);
  });
});
