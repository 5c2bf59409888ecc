/**
 * Redis restarted without persistence in the middle of a burst forgets every queued job; the
 * database still has the submissions (and authors' draft runs) as queued or running, and the
 * worker's reconciler queues them again.
 */
import { hashFiles, starterPackage } from '../../lib/authoring';
import {
  createCourseWithExercise, createTestDatabase, exerciseFile, startRedis, startWorker, storeSubmission, submit, uniquePrefix,
  useQueue, waitFor, type CourseFixture, type TestDatabase, type TestRedis, type WorkerProcess,
} from '../support/services';
import { closeQueue, enqueueDraftRun } from '../../lib/queue';

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

it('validates a draft whose validation was waiting in the queue when Redis restarted empty', async () => {
  const prefix = uniquePrefix();
  await useQueue(redis.url, prefix);
  const files = starterPackage('Validation across a Redis restart');
  const draft = await database.db.exerciseDraft.create({ data: { slug: 'validation-across-restart', files } });
  const run = await database.db.draftRun.create({ data: { draftId: draft.id, kind: 'validate', filesHash: hashFiles(files), files } });
  await enqueueDraftRun(run.id, 'validate');
  await closeQueue();

  await redis.kill();
  await redis.restart();
  worker = startWorker({ databaseUrl: database.url, redisUrl: redis.url, prefix, reconcileMs: 1_000 });
  const validated = await waitFor('the validation to be over', async () => {
    const stored = await database.db.draftRun.findUniqueOrThrow({ where: { id: run.id } });
    return stored.state === 'graded' && stored;
  });

  expect(validated.checks).toContainEqual({ ok: true, line: expect.stringMatching(/^reference solution scores 3\/3/) });
  expect(worker.logs.some((line) => line.msg.startsWith('queued again') && (line.requeued as string[]).includes(run.id))).toBe(true);
});
