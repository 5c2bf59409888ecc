/**
 * A failure of the platform that never heals (here: a stored exercise version the grader cannot
 * load, so every sandbox answers internal-error) is retried with backoff, then ends the submission
 * in state `error` with a sentence saying it is the platform's fault, not the student's.
 */
import path from 'node:path';
import { readPackageFolder } from '../../grader/exercise';
import { closeQueue, GRADING_ATTEMPTS } from '../../lib/queue';
import {
  createCourseWithExercise, createTestDatabase, listenForStates, startRedis, startWorker, submit, uniquePrefix,
  useQueue, waitFor, exerciseFile, type TestDatabase, type TestRedis, type WorkerProcess,
} from '../support/services';

jest.setTimeout(180_000);

let database: TestDatabase;
let redis: TestRedis;
let worker: WorkerProcess | null = null;

beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase(), startRedis()]);
});

afterAll(async () => {
  await worker?.stop();
  await closeQueue();
  await Promise.all([database?.drop(), redis?.stop()]);
});

it('ends a submission whose grading keeps failing for the platform\'s reasons in state error, with a sentence that blames the platform', async () => {
  const files = readPackageFolder(path.join(__dirname, '..', '..', 'exercises', 'pipe-message'));
  delete files['tests/hidden.ts'];
  const fixture = await createCourseWithExercise(database.db, 'pipe-message-without-tests', files);
  const prefix = uniquePrefix();
  await useQueue(redis.url, prefix);
  const events = await listenForStates(redis.url, prefix);
  try {
    worker = startWorker({ databaseUrl: database.url, redisUrl: redis.url, prefix });
    const id = await submit(database.db, fixture, exerciseFile('pipe-message', 'solution.ts'));
    const failed = await waitFor('the attempts to be spent', async () => {
      const submission = await database.db.submission.findUniqueOrThrow({ where: { id }, include: { result: true } });
      return submission.state !== 'queued' && submission.state !== 'running' && submission;
    }, 120_000);

    expect(failed.state).toBe('error');
    expect(failed.attempts).toBe(GRADING_ATTEMPTS);
    expect(failed.result?.status).toBe('internal-error');
    const message = (failed.result!.grade as { message: string }).message;
    expect(message).toMatch(/^Rendezvous could not grade this submission: the grading platform failed \d+ times, which is not a fault in your code; .*\.$/);
    await waitFor('the error event', async () => events.of(id).some((event) => event.state === 'error'));
    expect(events.of(id).at(-1)).toEqual({ state: 'error', score: 0, maxScore: 0 });
  } finally {
    events.close();
  }
});
