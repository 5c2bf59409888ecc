/**
 * Nothing of one submission reaches the next: every grading gets a fresh isolate, made and
 * warmed (with trusted code only) while the process waits for work.
 */
import { loadExercise } from './exercise';
import { grade, warmUpNextRealm } from './grade';
import { DEFAULT_GRADINGS_PER_ISOLATE, resolveLimits } from '../common/job';
import { configureIsolates, GradingSession, spareNeedsWarmUp, undisposedRealms } from './session';

const PROGRAM = { source: 'export default async function main(sys: any) { sys.print("hi"); }', fileName: 'main.ts' };
const exercise = loadExercise('pipe-message');
const { memoryMb } = resolveLimits(exercise.metadata.limits);

/** The realm a session of PROGRAM ran in, closed after one run. */
async function realmOfOneGrading(): Promise<number> {
  const session = await GradingSession.open([PROGRAM]);
  if ('compileError' in session) throw new Error(session.compileError);
  expect(session.runOne({ programs: [{}], settings: {} }).stdout).toBe('hi\n');
  const serial = session.realmSerial!;
  session.close();
  return serial;
}

/** A machine with a core to spare, whatever this one's load. */
const always = (): boolean => true;

/** Resolves once `condition` holds, looking every 20 ms. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

afterEach(() => configureIsolates({ gradingsPerIsolate: DEFAULT_GRADINGS_PER_ISOLATE }));

describe('isolates per grading', () => {
  test('by default every grading runs in a fresh isolate', async () => {
    const realms = [await realmOfOneGrading(), await realmOfOneGrading(), await realmOfOneGrading()];
    expect(new Set(realms).size).toBe(3);
  });

  test('configured for reuse, an isolate serves that many clean gradings', async () => {
    configureIsolates({ gradingsPerIsolate: 2 });
    const realms = [await realmOfOneGrading(), await realmOfOneGrading(), await realmOfOneGrading()];
    expect(realms[0]).toBe(realms[1]);
    expect(realms[2]).not.toBe(realms[1]);
  });
});

describe('retiring a realm', () => {
  test("a closed grading's isolate is disposed once its answer is out (the next macrotask), and none lingers", async () => {
    for (let grading = 0; grading < 4; grading++) {
      const session = await GradingSession.open([PROGRAM]);
      if ('compileError' in session) throw new Error(session.compileError);
      session.runOne({ programs: [{}], settings: {} });
      const serial = session.realmSerial!;
      session.close();
      // Disposing takes milliseconds: the result under way goes out first.
      expect(undisposedRealms()).toContain(serial);
      await new Promise((resolve) => setImmediate(resolve));
      expect(undisposedRealms()).not.toContain(serial);
    }
    // What is left is at most the spare made for the next grading.
    expect(undisposedRealms().length).toBeLessThanOrEqual(1);
  });
});

describe('warming the next realm while idle', () => {
  test('the warm-up waits while other work wants every core; then the reference solution warms the realm the next grading gets, which grades as before', async () => {
    const before = await grade(exercise, exercise.solution);
    let coreIsIdle = false;
    let asked = 0;
    const warming = warmUpNextRealm(exercise, { coreIsIdle: () => (asked++, coreIsIdle) });
    await until(() => asked >= 3);
    expect(spareNeedsWarmUp(memoryMb)).toBe(true);
    coreIsIdle = true;
    await warming;
    expect(spareNeedsWarmUp(memoryMb)).toBe(false);
    const after = await grade(exercise, exercise.solution);
    expect({ status: after.status, score: after.score, runs: after.runs }).toEqual({ status: before.status, score: before.maxScore, runs: before.runs });
    // That grading took the warmed realm: the next one is not warmed yet.
    expect(spareNeedsWarmUp(memoryMb)).toBe(true);
  }, 60_000);

  test('a grading that starts during a warm-up takes the realm at once, and the warm-up stops', async () => {
    await grade(exercise, exercise.solution);
    let warmUpDone = false;
    const warming = warmUpNextRealm(exercise, { coreIsIdle: always }).then(() => (warmUpDone = true));
    const graded = await grade(exercise, exercise.starter);
    expect(graded.status).toBe('graded');
    expect(graded.score).toBeLessThan(graded.maxScore);
    await warming;
    expect(warmUpDone).toBe(true);
    // It stopped rather than warming the realm made for the submission after.
    expect(spareNeedsWarmUp(memoryMb)).toBe(true);
  }, 60_000);

  test('a grading that arrives while the warm-up waits for a core takes the realm, and the warm-up ends', async () => {
    await grade(exercise, exercise.solution);
    let asked = 0;
    const warming = warmUpNextRealm(exercise, { coreIsIdle: () => (asked++, false) });
    await until(() => asked >= 2);
    const graded = await grade(exercise, exercise.solution);
    expect({ status: graded.status, score: graded.score }).toEqual({ status: 'graded', score: graded.maxScore });
    await warming;
    expect(spareNeedsWarmUp(memoryMb)).toBe(true);
  }, 60_000);
});

describe('a batch of runs', () => {
  test("each run of a batch gets its own settings and programs, whatever the batch's first run had", async () => {
    const echo = { source: 'export default async function main(sys: any, argv: string[]) { await sys.print(argv.join(" "), Math.random()); }', fileName: 'echo.ts' };
    const session = await GradingSession.open([echo]);
    if ('compileError' in session) throw new Error(session.compileError);
    const base = { programs: [{ argv: ['first'] }], settings: { seed: 5, outputLimit: 3 } };
    const requests = [
      base,
      { ...base, settings: { ...base.settings, seed: 6, outputLimit: 100 } },
      // A setting the first run has and this one leaves out is not the first's.
      { ...base, settings: { seed: 5 } },
      { programs: [{ argv: ['other', 'argv'] }], settings: base.settings },
    ];
    const batched = await session.runMany(requests);
    const alone = requests.map((request) => session.runOne(request));
    session.close();
    expect(batched.map((run) => run.stdout)).toEqual(alone.map((run) => run.stdout));
    expect(batched[0].processes[0].stdout).toMatch(/^fir(?!st)/);
    expect(batched[1].processes[0].stdout).toMatch(/^first 0\.\d+\n$/);
    expect(batched[2].processes[0].stdout).toMatch(/^first 0\.\d+\n$/);
    expect(batched[2].stdout).not.toBe(batched[1].stdout);
    expect(batched[3].processes[0].stdout).toMatch(/^oth(?!er)/);
  });
});

describe('sessions sharing a realm', () => {
  /** A session of a program that prints `word`. */
  async function printing(word: string): Promise<GradingSession> {
    const session = await GradingSession.open([{ source: `export default async function main(sys: any) { await sys.print(${JSON.stringify(word)}); }`, fileName: `${word}.ts` }]);
    if ('compileError' in session) throw new Error(session.compileError);
    return session;
  }
  const one = { programs: [{}], settings: {} };

  test("whichever session ran last in the realm, each run starts that session's own program", async () => {
    const first = await printing('first');
    const second = await printing('second');
    expect(first.runOne(one).stdout).toBe('first\n');
    expect(second.runOne(one).stdout).toBe('second\n');
    expect(second.realmSerial).toBe(first.realmSerial);
    expect(first.runOne(one).stdout).toBe('first\n');
    expect((await second.runMany([one, one])).map((run) => run.stdout)).toEqual(['second\n', 'second\n']);
    expect((await first.runMany([one, one])).map((run) => run.stdout)).toEqual(['first\n', 'first\n']);
    // Closing the session whose modules the realm held leaves the other's runs as they were.
    first.close();
    expect(second.runOne(one).stdout).toBe('second\n');
    second.close();
  });
});
