/**
 * The whole platform through a burst and its faults at once (the worker-*.test.ts files take
 * each fault alone, without the web app): students submit through the real web app while a
 * grading worker is SIGKILLed and replaced 20 times, Redis restarts empty, and PostgreSQL is cut
 * off from the web app and the workers and then restored. Nothing accepted is lost, nothing is
 * graded twice (the database says so), and while a dependency is down the web app answers 503
 * with a sentence, then recovers without being restarted.
 */
import { checkExactlyOnce, enrolStudentsWithTokens, sendBurst, type TokenStudent } from '../support/burst';
import { createCourseWithExercise, exerciseFile, waitFor, type WorkerProcess } from '../support/services';
import { startPlatform, type Account, type TestPlatform } from '../support/web';

jest.setTimeout(300_000);

const SLUG = 'pipe-message';
const TOTAL = 150;
const BURST_MS = 30_000;
const KILLS = 20;
const KILL_EVERY_MS = 1_700;
const WORKERS = 2;

let platform: TestPlatform;
let courseId: string;
let students: TokenStudent[];
/** A signed-in student who opens the course page during the outages. */
let reader: Account;

beforeAll(async () => {
  platform = await startPlatform({
    // The limits are not what is tested here: 10 submissions a student within a minute must pass.
    env: { RATE_LIMIT_SUBMIT_PER_MINUTE: '100', RATE_LIMIT_VISIBLE_PER_MINUTE: '100', RATE_LIMIT_MAX_SUBMIT_PER_USER_PER_MINUTE: '100', RATE_LIMIT_MAX_PER_COURSE_PER_MINUTE: '10000' },
  });
  ({ courseId } = await createCourseWithExercise(platform.database.db, SLUG));
  students = await enrolStudentsWithTokens(platform.database.db, courseId, 15);
  reader = await platform.signUp('Reader');
  await platform.database.db.enrolment.create({ data: { courseId, userId: reader.userId, role: 'student' } });
  for (let i = 0; i < WORKERS; i++) platform.addWorker(1, { throughProxy: true });
});

afterAll(async () => {
  await platform?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGKILLs a live worker every `everyMs` and starts its replacement, as a supervisor would; answers how many it killed. */
async function killWorkersRepeatedly(count: number, everyMs: number): Promise<number> {
  let killed = 0;
  while (killed < count) {
    await sleep(everyMs);
    const victim = platform.workers.find((worker: WorkerProcess) => worker.alive());
    if (!victim) continue;
    victim.kill('SIGKILL');
    await victim.exited;
    killed++;
    platform.addWorker(1, { throughProxy: true });
  }
  return killed;
}

/** What the web app answered while a dependency was down. */
interface OutageAnswers {
  health: { status: number; body: { error?: string } };
  submit: { status: number; body: { error?: string } };
  page: { status: number };
}

async function answersDuringOutage(): Promise<OutageAnswers> {
  const health = await platform.request('/api/health');
  const submit = await platform.request('/api/submissions', { body: { course: courseId, exercise: SLUG, code: exerciseFile(SLUG, 'solution.ts') }, token: students[0].token });
  const page = await platform.request(`/courses/${courseId}`, { as: reader });
  return {
    health: { status: health.status, body: await health.json() },
    submit: { status: submit.status, body: await submit.json() },
    page: { status: (await page.body?.cancel(), page.status) },
  };
}

/** How long the web app took, after a dependency came back, to answer healthy again (it is never restarted). */
async function recoveryMs(): Promise<number> {
  const began = Date.now();
  await waitFor('health to answer 200 again', async () => (await platform.request('/api/health')).status === 200, 60_000);
  return Date.now() - began;
}

/** Redis killed (losing every job) and restarted empty, then PostgreSQL cut off for 4 s: what the web app answered meanwhile, and how soon it recovered. */
async function outages(): Promise<{ redisDown: OutageAnswers; postgresDown: OutageAnswers; recoveredMs: number[] }> {
  await sleep(8_000);
  await platform.redis.kill();
  const redisDown = await answersDuringOutage();
  await sleep(1_500);
  await platform.redis.restart();
  const recoveredMs = [await recoveryMs()];
  await sleep(5_000);
  await platform.databaseProxy.close();
  const postgresDown = await answersDuringOutage();
  await sleep(4_000);
  await platform.databaseProxy.open();
  recoveredMs.push(await recoveryMs());
  return { redisDown, postgresDown, recoveredMs };
}

it('grades every accepted submission exactly once through 20 worker kills, a Redis restart and a PostgreSQL outage, answering 503 with a sentence meanwhile', async () => {
  const codes = [exerciseFile(SLUG, 'solution.ts'), exerciseFile(SLUG, 'wrong/no-wait.ts'), exerciseFile(SLUG, 'wrong/single-read.ts')];
  const [report, kills, { redisDown, postgresDown, recoveredMs }] = await Promise.all([
    sendBurst(platform, { courseId, slug: SLUG, students, codes, total: TOTAL, durationMs: BURST_MS, visibleEvery: 5 }),
    killWorkersRepeatedly(KILLS, KILL_EVERY_MS),
    outages(),
  ]);

  expect(kills).toBe(KILLS);
  expect(redisDown.health).toMatchObject({ status: 503, body: { redis: 'unavailable', error: 'Redis cannot be reached.' } });
  expect(redisDown.submit).toEqual({ status: 503, body: { error: 'A service Rendezvous depends on is unavailable; try again in a minute.' } });
  expect(postgresDown.health).toMatchObject({ status: 503, body: { database: 'unavailable', error: 'the database cannot be reached.' } });
  expect(postgresDown.submit).toEqual({ status: 503, body: { error: 'A service Rendezvous depends on is unavailable; try again in a minute.' } });
  // A page cannot choose its status in the App Router: it answers 500, and the browser shows the same sentence (test/browser/operations.test.ts).
  expect(postgresDown.page.status).toBe(500);

  // Every submission was accepted in the end (the client retried what was answered 503).
  expect(report.failures).toEqual([]);
  expect(report.ids).toHaveLength(TOTAL);
  expect(report.retried).toBeGreaterThan(0);

  const account = await waitFor('every accepted submission to be graded', async () => {
    const state = await checkExactlyOnce(platform.database.db, report.ids);
    return state.finished === TOTAL && state;
  }, 180_000);
  expect(account.graded).toBe(TOTAL);
  expect(account.withoutResult).toEqual([]);
  expect(account.gradedTwice).toEqual([]);

  // It recovered by itself, within seconds each time: the same web process answers healthy and accepts work again.
  expect(Math.max(...recoveredMs)).toBeLessThan(30_000);
  const after = await platform.request('/api/submissions', { body: { course: courseId, exercise: SLUG, code: codes[0], kind: 'visible' }, token: students[1].token });
  expect(after.status).toBe(202);
  expect((await platform.request(`/courses/${courseId}`, { as: reader })).status).toBe(200);
});
