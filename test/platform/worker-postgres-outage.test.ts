/**
 * PostgreSQL unreachable for a while (the worker reaches it through a TCP proxy the test cuts and
 * restores): the jobs fail, BullMQ retries them with backoff, and once the database is back every
 * submission is graded, once.
 */
import { closeQueue, gradingQueue } from '../../lib/queue';
import {
  createCourseWithExercise, createTestDatabase, exerciseFile, startRedis, startTcpProxy, startWorker, submit,
  uniquePrefix, useQueue, waitFor, type CourseFixture, type TcpProxy, type TestDatabase, type TestRedis, type WorkerProcess,
} from '../support/services';

jest.setTimeout(180_000);

const SLUG = 'pipe-message';

let database: TestDatabase;
let redis: TestRedis;
let proxy: TcpProxy;
let fixture: CourseFixture;
let worker: WorkerProcess | null = null;

beforeAll(async () => {
  [database, redis, proxy] = await Promise.all([createTestDatabase(), startRedis(), startTcpProxy(5432)]);
  fixture = await createCourseWithExercise(database.db, SLUG);
});

afterAll(async () => {
  await worker?.stop();
  await closeQueue();
  await Promise.all([database?.drop(), redis?.stop(), proxy?.close()]);
});

it('retries while PostgreSQL is unreachable and grades every submission once it is back', async () => {
  const prefix = uniquePrefix();
  await useQueue(redis.url, prefix);
  const viaProxy = new URL(database.url);
  viaProxy.port = String(proxy.port);
  worker = startWorker({ databaseUrl: viaProxy.toString(), redisUrl: redis.url, prefix, concurrency: 1 });
  const solution = exerciseFile(SLUG, 'solution.ts');
  const before = await submit(database.db, fixture, solution);
  await waitFor('a grading through the proxy', async () => (await database.db.submission.findUniqueOrThrow({ where: { id: before } })).state === 'graded');

  await proxy.close();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push(await submit(database.db, fixture, solution));
  await waitFor('a job to fail while the database is away', async () => ((await gradingQueue().getJob(ids[0]))?.attemptsMade ?? 0) >= 1);
  await proxy.open();

  const graded = await waitFor('every submission to be graded', async () => {
    const rows = await database.db.submission.findMany({ where: { id: { in: ids } }, include: { result: true } });
    return rows.every((row) => row.state === 'graded') && rows;
  });
  expect(graded.every((row) => row.result!.score === row.result!.maxScore)).toBe(true);
  expect(await database.db.result.count({ where: { submissionId: { in: ids } } })).toBe(ids.length);
  // The failed attempts never reached the database, so each submission was picked up there once.
  expect(graded.map((row) => row.attempts)).toEqual([1, 1, 1]);
  expect(worker.alive()).toBe(true);
});
