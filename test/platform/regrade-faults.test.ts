/**
 * A regrade survives the platform's faults. Its worker SIGKILLed while it grades one of the
 * regrade's submissions: that job's lock lapses, the next worker grades it, and every submission
 * ends with exactly one verdict, counted once, the regrade finished. Redis restarted empty before
 * any worker took its jobs: the workers' reconciler queues the stored items again.
 */
import { publishExerciseVersion } from '../../lib/exercises';
import { courseWithInstructor, EXERCISE, loosePipeMessage, pipeMessageFile, submitAndWait, tightenedPipeMessage, waitForRegrade } from '../support/course';
import { waitFor } from '../support/services';
import { startPlatform, type TestPlatform } from '../support/web';

jest.setTimeout(300_000);

/** Cut off at the exercise's CPU limit: a grading long enough to be interrupted. */
const ENDLESS_LOOP = 'export default async function main() { for (;;) {} }\n';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startPlatform({ workers: 1 });
});

afterAll(async () => {
  await platform?.stop();
});

it('finishes a regrade whose worker was SIGKILLed mid-grading, each submission regraded once', async () => {
  const { db } = platform.database;
  const version = await publishExerciseVersion({ slug: EXERCISE, files: loosePipeMessage() }, db);
  const { courseId, instructor } = await courseWithInstructor(platform, 'KILL-REGRADE');
  await db.assignment.create({ data: { courseId, exerciseId: version.exerciseId, exerciseVersionId: version.versionId, opensAt: new Date(Date.now() - 60_000), dueAt: new Date(Date.now() + 86_400_000) } });
  const student = await platform.signUp('Bob', 'KILL-REGRADE');
  // Oldest first: the regrade queues its submissions in that order, so the endless loop is graded first.
  await submitAndWait(platform, student, courseId, ENDLESS_LOOP);
  const full = await submitAndWait(platform, student, courseId, pipeMessageFile('solution.ts'));
  await submitAndWait(platform, student, courseId, pipeMessageFile('wrong/child-keeps-read-end.ts'));
  await platform.workers[0].stop();

  await publishExerciseVersion({ slug: EXERCISE, files: tightenedPipeMessage() }, db);
  const started = await platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/regrade`, { method: 'POST', as: instructor });
  expect(started.status).toBe(202);
  const { id } = (await started.json()) as { id: string };

  const doomed = platform.addWorker();
  const inHand = await waitFor('the first worker to pick up the endless loop', async () =>
    db.regradeItem.findFirst({ where: { regradeId: id, state: 'running', submission: { code: ENDLESS_LOOP } } }).then((item) => item ?? false),
  );
  doomed.kill('SIGKILL');
  expect((await doomed.exited).signal).toBe('SIGKILL');
  expect(await db.regradeItem.findUniqueOrThrow({ where: { id: inHand.id } })).toMatchObject({ state: 'running', attempts: 1 });

  const next = platform.addWorker();
  const report = await waitForRegrade(platform, instructor, id);
  expect(report).toMatchObject({ done: 3, total: 3, finished: true });
  // Bob's best is still the solution's full score; only his leaky submission lost the tightened test's point.
  expect(report.changes).toEqual([{ student: student.email, before: full, after: full, tests: ['no descriptor is left open'] }]);

  const items = await db.regradeItem.findMany({ where: { regradeId: id } });
  expect(items.every((item) => item.state === 'graded')).toBe(true);
  expect(items.find((item) => item.id === inHand.id)).toMatchObject({ attempts: 2, status: 'timeout' });
  for (const item of items) {
    const stored = [...doomed.logs, ...next.logs].filter((line) => line.regradeItemId === item.id && line.msg === 'regraded');
    expect(stored).toHaveLength(1);
  }
  const regrade = await db.regrade.findUniqueOrThrow({ where: { id } });
  expect(regrade.done).toBe(3);
  expect(regrade.finishedAt).not.toBeNull();
});

it('finishes a regrade whose jobs Redis lost, queued again by the reconciler from the stored items', async () => {
  const { db } = platform.database;
  const { courseId, instructor } = await courseWithInstructor(platform, 'LOST-REGRADE');
  const newest = await db.exerciseVersion.findFirstOrThrow({ where: { exercise: { slug: EXERCISE } }, orderBy: { number: 'desc' } });
  await db.assignment.create({ data: { courseId, exerciseId: newest.exerciseId, exerciseVersionId: newest.id, opensAt: new Date(Date.now() - 60_000), dueAt: new Date(Date.now() + 86_400_000) } });
  const student = await platform.signUp('Cy', 'LOST-REGRADE');
  // One worker at a time, so the one that finds the lost jobs is the one watched.
  await Promise.all(platform.workers.filter((running) => running.alive()).map((running) => running.stop()));
  const worker = platform.addWorker();
  const full = await submitAndWait(platform, student, courseId, pipeMessageFile('solution.ts'));
  await submitAndWait(platform, student, courseId, pipeMessageFile('wrong/no-wait.ts'));
  await worker.stop();

  const started = await platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/regrade`, { method: 'POST', as: instructor });
  expect(started.status).toBe(202);
  const { id } = (await started.json()) as { id: string };
  await platform.redis.kill();
  await platform.redis.restart();

  const next = platform.addWorker();
  const report = await waitForRegrade(platform, instructor, id);
  expect(report).toMatchObject({ done: 2, total: 2, finished: true, changes: [] });
  expect(next.logs.some((line) => line.msg === 'queued again submissions whose jobs Redis had lost')).toBe(true);
  const items = await db.regradeItem.findMany({ where: { regradeId: id } });
  expect(items.map((item) => [item.state, item.attempts])).toEqual([['graded', 1], ['graded', 1]]);
  expect(Math.max(...items.map((item) => item.score!))).toBe(full);
});
