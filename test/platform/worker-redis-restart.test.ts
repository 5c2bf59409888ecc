/**
 * Redis restarted without persistence in the middle of a burst forgets every queued job; the
 * database still has the submissions as queued (or running), and the worker's reconciler queues
 * them again.
 */
import {
  createCourseWithExercise, createTestDatabase, exerciseFile, startRedis, startWorker, storeSubmission, submit, uniquePrefix,
  useQueue, waitFor, type CourseFixture, type TestDatabase, type TestRedis, type WorkerProcess,
} from '../support/services';
import { closeQueue } from '../../lib/queue';

jest.setTimeout(240_000);

const SLUG = 'pipe-message';
const BURST = 10;

let database: TestDatabase;
let redis: TestRedis;
let fixture: CourseFixture;
let worker: WorkerProcess | null = null;

beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase(), startRedis()]);
  fixture = await createCourseWithExercise(database.db, SLUG);
});

afterEach(async () => {
  await worker?.stop();
  worker = null;
});

afterAll(async () => {
  await closeQueue();
  await Promise.all([database?.drop(), redis?.stop()]);
});

it('grades every submission of a burst exactly once when Redis restarts empty in the middle of it', async () => {
  const prefix = uniquePrefix();
  await useQueue(redis.url, prefix);
  worker = startWorker({ databaseUrl: database.url, redisUrl: redis.url, prefix, concurrency: 1, reconcileMs: 1_000 });
  const solution = exerciseFile(SLUG, 'solution.ts');
  const ids: string[] = [];
  for (let i = 0; i < BURST; i++) ids.push(await submit(database.db, fixture, solution));
  const gradedCount = () => database.db.submission.count({ where: { id: { in: ids }, state: 'graded' } });
  await waitFor('the first gradings', async () => (await gradedCount()) >= 1);

  await redis.kill();
  await redis.restart();
  const lost = BURST - (await gradedCount());

  await waitFor('the whole burst to be graded', async () => (await gradedCount()) === BURST, 180_000);
  const results = await database.db.result.findMany({ where: { submissionId: { in: ids } } });
  expect(results).toHaveLength(BURST);
  expect(results.every((result) => result.score === result.maxScore)).toBe(true);
  expect(lost).toBeGreaterThan(0);
  const requeued = worker.logs.filter((line) => line.msg.startsWith('queued again')).flatMap((line) => line.requeued as string[]);
  expect(requeued.length).toBeGreaterThan(0);
  expect(new Set(requeued).size).toBe(requeued.length);
});

it('queues again a submission stored as running whose job no worker holds and Redis no longer has, and grades it', async () => {
  const prefix = uniquePrefix();
  await useQueue(redis.url, prefix);
  // As a worker leaves it when it dies mid-grading and Redis loses the job before anyone recovers it.
  const id = await storeSubmission(database.db, fixture, exerciseFile(SLUG, 'solution.ts'));
  await database.db.submission.update({ where: { id }, data: { state: 'running', startedAt: new Date(), attempts: 1 } });

  worker = startWorker({ databaseUrl: database.url, redisUrl: redis.url, prefix, reconcileMs: 1_000 });
  const graded = await waitFor('the orphaned submission to be graded', async () => {
    const submission = await database.db.submission.findUniqueOrThrow({ where: { id }, include: { result: true } });
    return submission.state === 'graded' && submission;
  });

  expect(graded.attempts).toBe(2);
  expect(graded.result?.score).toBe(graded.result?.maxScore);
  expect(worker.logs.some((line) => line.msg.startsWith('queued again') && (line.requeued as string[]).includes(id))).toBe(true);
});
