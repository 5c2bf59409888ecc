/**
 * The grading queue's order, seen by one worker taking one job at a time from a backlog: visible
 * runs (a student waiting at the page) before submissions, submissions before regrades.
 */
import type { SubmissionKind } from '../../lib/db';
import { closeQueue, type GradingReason } from '../../lib/queue';
import {
  createCourseWithExercise, createTestDatabase, exerciseFile, startRedis, startWorker, submit, uniquePrefix,
  useQueue, waitFor, type CourseFixture, type TestDatabase, type TestRedis, type WorkerProcess,
} from '../support/services';

jest.setTimeout(180_000);

const SLUG = 'pipe-message';

let database: TestDatabase;
let redis: TestRedis;
let fixture: CourseFixture;
let worker: WorkerProcess | null = null;

beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase(), startRedis()]);
  fixture = await createCourseWithExercise(database.db, SLUG);
});

afterAll(async () => {
  await worker?.stop();
  await closeQueue();
  await Promise.all([database?.drop(), redis?.stop()]);
});

it('takes visible runs before submissions, and submissions before regrades, each kind in the order it came', async () => {
  const prefix = uniquePrefix();
  await useQueue(redis.url, prefix);
  const backlog: { reason: GradingReason; kind: SubmissionKind }[] = [
    { reason: 'regrade', kind: 'submit' },
    { reason: 'submit', kind: 'submit' },
    { reason: 'visible', kind: 'visible' },
    { reason: 'regrade', kind: 'submit' },
    { reason: 'submit', kind: 'submit' },
    { reason: 'visible', kind: 'visible' },
  ];
  const solution = exerciseFile(SLUG, 'solution.ts');
  const queued: { id: string; reason: GradingReason }[] = [];
  for (const { reason, kind } of backlog) queued.push({ id: await submit(database.db, fixture, solution, kind, reason), reason });

  worker = startWorker({ databaseUrl: database.url, redisUrl: redis.url, prefix, concurrency: 1 });
  const graded = await waitFor('the backlog to be graded', async () => {
    const rows = await database.db.submission.findMany({ where: { id: { in: queued.map((entry) => entry.id) } } });
    return rows.every((row) => row.state === 'graded') && rows;
  });

  const started = [...graded].sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime()).map((row) => row.id);
  const expected = (['visible', 'submit', 'regrade'] as const).flatMap((reason) => queued.filter((entry) => entry.reason === reason).map((entry) => entry.id));
  expect(started).toEqual(expected);
});
