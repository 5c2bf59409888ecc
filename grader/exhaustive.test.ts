import { independent } from '../kernel/footprint';
import { describeBounded, exploreBounded, exploreExhaustively } from './exhaustive';
import { runTest, type RunRequest, type TestDefinition } from './harness';
import { props } from './properties';
import { GradingSession } from './session';

async function session(source: string): Promise<GradingSession> {
  const opened = await GradingSession.open([{ source, fileName: 'submission.ts' }]);
  if ('compileError' in opened) throw new Error(opened.compileError);
  return opened;
}

const ONE_PROGRAM: RunRequest = { programs: [{}], settings: {} };

function definition(body: TestDefinition['body']): TestDefinition {
  return { name: 'under test', weight: 1, partial: true, requires: [], body };
}

/** Two threads of one process, each posting its own semaphore three times: no step of one touches what the other's do. */
const TWO_THREADS_APART = `
export default async function main(sys) {
  const work = async (sem) => { for (let i = 0; i < 3; i++) await sys.sem_post(sem); };
  const a = await sys.thread(work, await sys.sem_init(0));
  const b = await sys.thread(work, await sys.sem_init(0));
  await sys.join(a);
  await sys.join(b);
}`;

/** Two threads increment a shared cell with a load and a store each: a lost update needs one preemption between them. */
const LOST_UPDATE = `
export default async function main(sys) {
  const cell = await sys.shmat(await sys.shmget('counter', 1));
  const add = async () => { const seen = await cell.load(0); await cell.store(0, seen + 1); };
  const a = await sys.thread(add);
  const b = await sys.thread(add);
  await sys.join(a);
  await sys.join(b);
  await sys.print(await cell.load(0));
}`;

/** Peterson's lock with the turn given away before the flag is raised: both threads can get in. */
const PETERSON_WRONG_ORDER = `
export default async function main(sys) {
  const cell = await sys.shmat(await sys.shmget('peterson', 4));
  // cells: 0, 1 flags; 2 turn; 3 how many are inside
  const body = async (me) => {
    await cell.store(2, 1 - me); // the turn given away first: the bug
    await cell.store(me, 1);
    while ((await cell.load(1 - me)) === 1 && (await cell.load(2)) === 1 - me) {}
    if ((await cell.add(3, 1)) !== 0) await sys.print('both');
    await cell.add(3, -1);
    await cell.store(me, 0);
  };
  const threads = [await sys.thread(body, 0), await sys.thread(body, 1)];
  for (const thread of threads) await sys.join(thread);
}`;

/**
 * A bug that needs two preemptions: T1 sets x = 1 then x = 2; T2 reads x twice
 * and fails only when it sees 1 and then 2 — it must run between T1's stores
 * and again after them, while T1 could have gone on each time.
 */
const TWO_PREEMPTIONS = `
export default async function main(sys) {
  const cell = await sys.shmat(await sys.shmget('x', 1));
  const writer = async () => { await cell.add(0, 1); await cell.add(0, 1); await sys.yield(); };
  const reader = async () => {
    const first = await cell.add(0, 0);
    const second = await cell.add(0, 0);
    if (first === 1 && second === 2) await sys.print('bug');
  };
  const w = await sys.thread(writer);
  const r = await sys.thread(reader);
  await sys.join(w);
  await sys.join(r);
}`;

describe('footprints per object', () => {
  test('two loads of one shared cell commute; a load and a store of it do not; different cells always do', () => {
    expect(independent(['#1[0]?'], ['#1[0]?'])).toBe(true);
    expect(independent(['#1[0]?'], ['#1[0]'])).toBe(false);
    expect(independent(['#1[0]'], ['#1[1]'])).toBe(true);
    expect(independent(['*'], [])).toBe(false);
    expect(independent([], ['#2'])).toBe(true);
  });

  test("steps of one process's threads on different objects commute, so exhaustive search covers them in a few runs", async () => {
    const apart = await session(TWO_THREADS_APART);
    try {
      const summary = await exploreExhaustively(apart, ONE_PROGRAM, 500, () => true);
      expect(summary.complete).toBe(true);
      // With every step of the process in conflict (the pid in each footprint, before), 500 runs did not cover it.
      expect(summary.runs).toBeLessThan(60);
    } finally {
      apart.close();
    }
  });

  test('exhaustive search with footprints per object still finds a lost update between two threads', async () => {
    const lost = await session(LOST_UPDATE);
    try {
      const outputs = new Set<string>();
      const summary = await exploreExhaustively(lost, ONE_PROGRAM, 500, (_request, run) => {
        outputs.add(run.stdout);
        return true;
      });
      expect(summary.complete).toBe(true);
      expect(outputs).toEqual(new Set(['1\n', '2\n']));
    } finally {
      lost.close();
    }
  });

  // A branch's runs are pruned by footprints its parent run recorded: both must name the shared cells
  // alike. Named by a counter the whole realm shared, the cells looked different in every run, and
  // the search missed this bug within 200 runs.
  test('exhaustive search finds both threads in a Peterson section whose stores are in the wrong order', async () => {
    const peterson = await session(PETERSON_WRONG_ORDER);
    try {
      let found = false;
      await exploreExhaustively(peterson, ONE_PROGRAM, 200, (_request, run) => {
        found = run.stdout.includes('both');
        return !found;
      });
      expect(found).toBe(true);
    } finally {
      peterson.close();
    }
  });
});

describe('preemption-bounded search (iterative context bounding)', () => {
  test('runs every schedule with no preemption first, then one, and says how far it got', async () => {
    const lost = await session(LOST_UPDATE);
    try {
      const outputs: string[] = [];
      const summary = await exploreBounded(lost, ONE_PROGRAM, 300, (_request, run) => {
        outputs.push(run.stdout);
        return true;
      });
      expect(summary.bound).toBeGreaterThanOrEqual(1);
      // Without preemption each thread's load and store run together: no lost update.
      expect(outputs[0]).toBe('2\n');
      expect(outputs).toContain('1\n');
      expect(describeBounded(summary)).toMatch(/^every schedule with at most \d+ preemptions?( and \d+ with \d+)?$/);
      const small = await exploreBounded(lost, ONE_PROGRAM, 3, () => true);
      expect(describeBounded(small)).toMatch(/^every schedule with at most 0 preemptions and \d+ with 1$|^\d+ schedules without preemption \(not all\)$/);
    } finally {
      lost.close();
    }
  });

  test('finds a bug that needs two preemptions, and the test reports the coverage it reached', async () => {
    const twice = await session(TWO_PREEMPTIONS);
    try {
      let found: number | null = null;
      let runs = 0;
      await exploreBounded(twice, ONE_PROGRAM, 200, (_request, run) => {
        runs++;
        if (run.stdout === 'bug\n' && found === null) found = runs;
        return found === null;
      });
      expect(found).not.toBeNull();
      const outcome = await runTest(definition((t) => t.explore({ runs: 200, strategies: ['icb'] }, [props.stdoutIs('')])), false, twice, ONE_PROGRAM, 1);
      expect(outcome.passed).toBe(false);
      expect(outcome.message).toMatch(/preemption-bounded search/);
      expect(outcome.coverage).toMatch(/^round robin, (every schedule with at most 1 preemption|every schedule with at most \d+ preemptions)/);
      // Replaying the counterexample as `rendezvous run --replay` does shows the bug again.
      const [replayed] = await twice.runMany([{ programs: [{}], settings: { schedule: 'replay', decisions: outcome.counterexample!.decisions } }]);
      expect(replayed.stdout).toBe('bug\n');
    } finally {
      twice.close();
    }
  });

  test('a bounded search given a bound stops once every schedule within it has run', async () => {
    const lost = await session(LOST_UPDATE);
    try {
      const unbounded = await exploreBounded(lost, ONE_PROGRAM, 300, () => true);
      const bounded = await exploreBounded(lost, ONE_PROGRAM, 300, () => true, 1);
      expect(unbounded.bound).toBeGreaterThan(1);
      expect(bounded).toMatchObject({ bound: 1, partial: 0, complete: false });
      expect(bounded.runs).toBeLessThan(unbounded.runs);
      expect(describeBounded(bounded)).toBe('every schedule with at most 1 preemption');
    } finally {
      lost.close();
    }
  });

  test('a passing exploration names what it covered: round robin, the bounded search, the sampled seeds', async () => {
    const lost = await session(LOST_UPDATE);
    try {
      const outcome = await runTest(definition((t) => t.explore({ runs: 60 }, [props.finishes()])), false, lost, ONE_PROGRAM, 1);
      expect(outcome.passed).toBe(true);
      // 60 sampled schedules, then the bounded search: up to half as many again (it has not covered 2 preemptions by then).
      expect(outcome.runs).toBe(90);
      expect(outcome.coverage).toMatch(/^round robin, 59 sampled schedules \(random, pct\), every schedule with at most \d+ preemptions?( and \d+ with \d+)?$/);
    } finally {
      lost.close();
    }
  });
});
