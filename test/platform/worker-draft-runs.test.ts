/**
 * Authors' runs in the grading queue, seen by one worker taking one job at a time: a validation
 * waits behind students' runs and submissions and goes before regrades, and validates exactly the
 * files its run kept, storing each check.
 */
import { starterPackage, hashFiles } from '../../lib/authoring';
import { closeQueue, enqueueDraftRun } from '../../lib/queue';
import {
  createCourseWithExercise, createTestDatabase, exerciseFile, startRedis, startWorker, submit, uniquePrefix,
  useQueue, waitFor, type TestDatabase, type TestRedis, type WorkerProcess,
} from '../support/services';

jest.setTimeout(180_000);

const SLUG = 'pipe-message';

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

it('takes a validation after visible runs and submissions and before regrades, and stores its checks in order', async () => {
  const prefix = uniquePrefix();
  await useQueue(redis.url, prefix);
  const fixture = await createCourseWithExercise(database.db, SLUG);
  const solution = exerciseFile(SLUG, 'solution.ts');
  const files = starterPackage('Queued validation');
  const draft = await database.db.exerciseDraft.create({ data: { slug: 'queued-validation', files } });
  const run = await database.db.draftRun.create({ data: { draftId: draft.id, kind: 'validate', filesHash: hashFiles(files), files } });

  const regrade = await submit(database.db, fixture, solution, 'submit', 'regrade');
  await enqueueDraftRun(run.id, 'validate');
  const submission = await submit(database.db, fixture, solution, 'submit', 'submit');
  const visible = await submit(database.db, fixture, solution, 'visible', 'visible');

  worker = startWorker({ databaseUrl: database.url, redisUrl: redis.url, prefix, concurrency: 1 });
  const finished = await waitFor('the backlog and the validation to be done', async () => {
    const [rows, validation] = await Promise.all([
      database.db.submission.findMany({ where: { id: { in: [regrade, submission, visible] } } }),
      database.db.draftRun.findUniqueOrThrow({ where: { id: run.id } }),
    ]);
    if (validation.state !== 'graded' || !rows.every((row) => row.state === 'graded')) return false;
    return { rows, validation };
  });

  const order = [
    ...finished.rows.map((row) => ({ id: row.id, at: row.gradedAt!.getTime() })),
    { id: run.id, at: finished.validation.finishedAt!.getTime() },
  ].sort((a, b) => a.at - b.at).map((entry) => entry.id);
  expect(order).toEqual([visible, submission, run.id, regrade]);
  // The starter package is unfinished: no known-wrong solution proves its tests can fail.
  expect(finished.validation.valid).toBe(false);
  expect(finished.validation.checks).toEqual([
    { ok: false, line: "test 'prints hello' is failed by no known-wrong solution, so nothing proves it can fail" },
    { ok: false, line: "test 'prints hello and exits' is failed by no known-wrong solution, so nothing proves it can fail" },
    { ok: true, line: expect.stringMatching(/^reference solution scores 3\/3 \(\d+ ms\)$/) },
    { ok: true, line: expect.stringMatching(/^the Run panel's programs \(default\) run the reference solution to its end in \d+ steps$/) },
    { ok: true, line: 'starter code scores 1/3, below full marks' },
  ]);
});
