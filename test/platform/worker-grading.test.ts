/**
 * What the grading worker does with one submission, against real PostgreSQL, a private Redis, a
 * worker process built from dist/worker.js and real isolates (run `npm run build` first).
 */
import { Redis } from 'ioredis';
import { countLiveWorkers } from '../../lib/heartbeats';
import {
  createCourseWithExercise, createTestDatabase, exerciseFile, listenForStates, startRedis, startWorker, submit,
  uniquePrefix, useQueue, waitFor, type CourseFixture, type TestDatabase, type TestRedis, type WorkerProcess,
} from '../support/services';
import { closeQueue } from '../../lib/queue';

jest.setTimeout(180_000);

const SLUG = 'pipe-message';
/** Never returns: the grader cuts it off at the exercise's CPU limit, so it keeps a worker busy for a while. */
const ENDLESS_LOOP = 'export default async function main() { for (;;) {} }\n';

let database: TestDatabase;
let redis: TestRedis;
let fixture: CourseFixture;
let prefix: string;
let worker: WorkerProcess | null = null;

beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase(), startRedis()]);
  fixture = await createCourseWithExercise(database.db, SLUG);
});

beforeEach(async () => {
  prefix = uniquePrefix();
  await useQueue(redis.url, prefix);
});

afterEach(async () => {
  await worker?.stop();
  worker = null;
});

afterAll(async () => {
  await closeQueue();
  await Promise.all([database?.drop(), redis?.stop()]);
});

function start(): WorkerProcess {
  worker = startWorker({ databaseUrl: database.url, redisUrl: redis.url, prefix });
  return worker;
}

async function finalState(id: string) {
  return waitFor(`submission ${id} to be graded`, async () => {
    const submission = await database.db.submission.findUniqueOrThrow({ where: { id }, include: { result: true } });
    return (submission.state === 'graded' || submission.state === 'error') && submission;
  });
}

describe('the grading worker', () => {
  it('grades a reference solution with full marks, moving it queued → running → graded and announcing each step in order', async () => {
    const events = await listenForStates(redis.url, prefix);
    try {
      start();
      const id = await submit(database.db, fixture, exerciseFile(SLUG, 'solution.ts'));
      const submission = await finalState(id);

      expect(submission.state).toBe('graded');
      expect(submission.attempts).toBe(1);
      expect(submission.result?.status).toBe('graded');
      expect(submission.result?.maxScore).toBeGreaterThan(0);
      expect(submission.result?.score).toBe(submission.result?.maxScore);
      expect(submission.queuedAt!.getTime()).toBeLessThanOrEqual(submission.startedAt!.getTime());
      expect(submission.startedAt!.getTime()).toBeLessThanOrEqual(submission.gradedAt!.getTime());
      await waitFor('the graded event', async () => events.of(id).length >= 2);
      expect(events.of(id)).toEqual([
        { state: 'running' },
        { state: 'graded', score: submission.result!.score, maxScore: submission.result!.maxScore },
      ]);
    } finally {
      events.close();
    }
  });

  it('grades a compile error as a result, attempted once', async () => {
    start();
    const id = await submit(database.db, fixture, 'export default async function main(sys) {\n  await sys.pipe(\n}\n');
    const submission = await finalState(id);

    expect(submission.state).toBe('graded');
    expect(submission.attempts).toBe(1);
    expect(submission.result?.status).toBe('compile-error');
    expect(submission.result?.score).toBe(0);
  });

  it('grades a deadlocking known-wrong solution as a result that fails "no deadlock", attempted once', async () => {
    start();
    const id = await submit(database.db, fixture, exerciseFile(SLUG, 'wrong/parent-keeps-write-end.ts'));
    const submission = await finalState(id);

    expect(submission.state).toBe('graded');
    expect(submission.attempts).toBe(1);
    expect(submission.result?.status).toBe('graded');
    expect(submission.result!.score).toBeLessThan(submission.result!.maxScore);
    const tests = (submission.result!.grade as { tests: { name: string; passed: boolean }[] }).tests;
    expect(tests.find((test) => test.name === 'no deadlock')?.passed).toBe(false);
  });

  it('grades a visible run against the visible tests only', async () => {
    start();
    const id = await submit(database.db, fixture, exerciseFile(SLUG, 'solution.ts'), 'visible');
    const submission = await finalState(id);

    const tests = (submission.result!.grade as { tests: { visible: boolean }[] }).tests;
    expect(submission.state).toBe('graded');
    expect(tests.length).toBeGreaterThan(0);
    expect(tests.every((test) => test.visible)).toBe(true);
  });

  it('counts a running worker as live, and stops counting it once it has stopped', async () => {
    const client = new Redis(redis.url);
    try {
      const running = start();
      await waitFor('the worker\'s heartbeat', async () => (await countLiveWorkers(client)) === 1);
      await running.stop();
      worker = null;
      expect(await countLiveWorkers(client)).toBe(0);
    } finally {
      client.disconnect();
    }
  });

  it('on SIGTERM finishes the job in hand, takes no new one, and exits 0', async () => {
    const events = await listenForStates(redis.url, prefix);
    try {
      const stopping = start();
      const inHand = await submit(database.db, fixture, ENDLESS_LOOP);
      await waitFor('the grading to start', async () => events.of(inHand).some((event) => event.state === 'running'));
      const waiting = await submit(database.db, fixture, exerciseFile(SLUG, 'solution.ts'));
      stopping.kill('SIGTERM');
      const { code } = await stopping.exited;
      worker = null;

      expect(code).toBe(0);
      const finished = await database.db.submission.findUniqueOrThrow({ where: { id: inHand }, include: { result: true } });
      expect(finished.state).toBe('graded');
      expect(finished.result?.status).toBe('timeout');
      const untouched = await database.db.submission.findUniqueOrThrow({ where: { id: waiting } });
      expect(untouched.state).toBe('queued');
      expect(untouched.attempts).toBe(0);
    } finally {
      events.close();
    }
  });
});
