/**
 * Exactly once, even when a submission is delivered twice: two workers on two queues grade the
 * same submission at the same time, and the unique result per submission keeps one verdict.
 */
import {
  createCourseWithExercise, createTestDatabase, enqueue, listenForStates, startRedis, startWorker, storeSubmission,
  uniquePrefix, useQueue, waitFor, type CourseFixture, type TestDatabase, type TestRedis, type WorkerProcess,
} from '../support/services';
import { closeQueue } from '../../lib/queue';

jest.setTimeout(180_000);

/** Never returns: the grader cuts it off at the exercise's CPU limit, so both gradings overlap. */
const ENDLESS_LOOP = 'export default async function main() { for (;;) {} }\n';

let database: TestDatabase;
let redis: TestRedis;
let fixture: CourseFixture;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase(), startRedis()]);
  fixture = await createCourseWithExercise(database.db, 'pipe-message');
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await closeQueue();
  await Promise.all([database?.drop(), redis?.stop()]);
});

it('stores one result when two workers grade the same submission at once, and announces it once', async () => {
  const prefixes = [uniquePrefix(), uniquePrefix()];
  const id = await storeSubmission(database.db, fixture, ENDLESS_LOOP);
  const eventsOf = await Promise.all(prefixes.map((prefix) => listenForStates(redis.url, prefix)));
  try {
    for (const prefix of prefixes) workers.push(startWorker({ databaseUrl: database.url, redisUrl: redis.url, prefix }));
    await waitFor('both workers to be ready', async () => workers.every((worker) => worker.logs.some((line) => line.msg === 'ready')));
    for (const prefix of prefixes) {
      await useQueue(redis.url, prefix);
      await enqueue(id, 'submit');
    }
    await waitFor('both workers to be grading it', async () =>
      eventsOf.every((events) => events.of(id).some((event) => event.state === 'running')),
    );
    const gradedLines = () => workers.flatMap((worker) => worker.logs.filter((line) => line.submissionId === id && line.msg.startsWith('graded')));
    await waitFor('both gradings to end', async () => gradedLines().length === 2);

    expect(await database.db.result.count({ where: { submissionId: id } })).toBe(1);
    expect(gradedLines().map((line) => line.stored).sort()).toEqual([false, true]);
    const graded = eventsOf.flatMap((events) => events.of(id).filter((event) => event.state === 'graded'));
    expect(graded).toHaveLength(1);
    expect(await database.db.submission.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'graded', attempts: 2 });
  } finally {
    for (const events of eventsOf) events.close();
  }
});
