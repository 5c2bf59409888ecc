/**
 * A worker that dies mid-grading (SIGKILL: no chance to clean up) loses nothing: its job's lock
 * lapses, BullMQ's stalled check puts the job back, and the next worker grades it, once.
 */
import {
  createCourseWithExercise, createTestDatabase, listenForStates, startRedis, startWorker, submit, uniquePrefix,
  useQueue, waitFor, type CourseFixture, type TestDatabase, type TestRedis, type WorkerProcess,
} from '../support/services';
import { closeQueue } from '../../lib/queue';

jest.setTimeout(180_000);

/** Never returns: the grader cuts it off at the exercise's CPU limit, so the grading lasts long enough to be interrupted. */
const ENDLESS_LOOP = 'export default async function main() { for (;;) {} }\n';

let database: TestDatabase;
let redis: TestRedis;
let fixture: CourseFixture;
let next: WorkerProcess | null = null;

beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase(), startRedis()]);
  fixture = await createCourseWithExercise(database.db, 'pipe-message');
});

afterAll(async () => {
  await next?.stop();
  await closeQueue();
  await Promise.all([database?.drop(), redis?.stop()]);
});

it('grades a submission whose worker was SIGKILLed mid-grading once, by the next worker', async () => {
  const prefix = uniquePrefix();
  await useQueue(redis.url, prefix);
  const events = await listenForStates(redis.url, prefix);
  try {
    const environment = { databaseUrl: database.url, redisUrl: redis.url, prefix };
    const first = startWorker(environment);
    const id = await submit(database.db, fixture, ENDLESS_LOOP);
    await waitFor('the first worker to start grading', async () => events.of(id).some((event) => event.state === 'running'));
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(await database.db.submission.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'running', attempts: 1 });

    next = startWorker(environment);
    const graded = await waitFor('the next worker to grade it', async () => {
      const submission = await database.db.submission.findUniqueOrThrow({ where: { id }, include: { result: true } });
      return submission.state === 'graded' && submission;
    });

    expect(graded.attempts).toBe(2);
    expect(graded.result?.status).toBe('timeout');
    expect(await database.db.result.count({ where: { submissionId: id } })).toBe(1);
    // The worker logs its grading after storing and announcing it: the line may come just after the row.
    const gradedLines = () => next!.logs.filter((line) => line.submissionId === id && line.msg === 'graded');
    await waitFor("the next worker's log line for the grading", async () => gradedLines().length > 0);
    expect(gradedLines()).toHaveLength(1);
  } finally {
    events.close();
  }
});
