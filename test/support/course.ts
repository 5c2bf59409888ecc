/**
 * What the course-management and browser tests share: pipe-message before and after an instructor
 * tightens a hidden test, a course with its instructor or with exercises assigned, and waiting for
 * a submission's or a regrade's end through the API.
 */
import path from 'node:path';
import { readPackageFolder } from '../../grader/exercise';
import { publishExerciseVersion } from '../../lib/exercises';
import { waitFor } from './services';
import type { Account, TestPlatform } from './web';

export const EXERCISE = 'pipe-message';
const PACK = path.join(__dirname, '..', '..', 'exercises');

/** The published package, whose hidden test 'no descriptor is left open' checks for leaked descriptors. */
export function tightenedPipeMessage(): Record<string, string> {
  return readPackageFolder(path.join(PACK, EXERCISE));
}

/** The same package with that test still loose: it checks only for a deadlock, so a leaked descriptor passes. */
export function loosePipeMessage(): Record<string, string> {
  const files = tightenedPipeMessage();
  const strict = "props.noLeakedFds({ when: situations.leftOpen(undefined, /pipe/), hint: 'each process must close the pipe ends it holds' })";
  if (!files['tests/hidden.ts'].includes(strict)) throw new Error('pipe-message\'s hidden tests changed: update loosePipeMessage()');
  return { ...files, 'tests/hidden.ts': files['tests/hidden.ts'].replace(strict, 'props.noDeadlock()') };
}

/** A source of pipe-message: `solution.ts`, `wrong/child-keeps-read-end.ts`, … */
export function pipeMessageFile(file: string): string {
  return tightenedPipeMessage()[file];
}

/** A course whose instructor signed up through the platform; students join with `joinCode`. */
export async function courseWithInstructor(platform: TestPlatform, joinCode: string): Promise<{ courseId: string; instructor: Account }> {
  const { db } = platform.database;
  const instructor = await platform.signUp('Instructor');
  const course = await db.course.create({ data: { title: 'Operating Systems: IPC', joinCode, enrolments: { create: { userId: instructor.userId, role: 'instructor' } } } });
  return { courseId: course.id, instructor };
}

/** A course students join with `joinCode`, with each built-in exercise of `slugs` published and assigned: opened yesterday, due in a week. */
export async function courseWithExercises(platform: TestPlatform, joinCode: string, slugs: string[]): Promise<string> {
  const { db } = platform.database;
  const course = await db.course.create({ data: { title: 'Operating Systems: IPC', joinCode } });
  const day = 24 * 60 * 60 * 1000;
  for (const slug of slugs) {
    const version = await publishExerciseVersion({ slug, files: readPackageFolder(path.join(PACK, slug)) }, db);
    await db.assignment.create({
      data: { courseId: course.id, exerciseId: version.exerciseId, exerciseVersionId: version.versionId, opensAt: new Date(Date.now() - day), dueAt: new Date(Date.now() + 7 * day) },
    });
  }
  return course.id;
}

/** Submits `code` as `student` and waits for its verdict; answers the score. */
export async function submitAndWait(platform: TestPlatform, student: Account, courseId: string, code: string, exercise = EXERCISE): Promise<number> {
  const created = await platform.request('/api/submissions', { body: { course: courseId, exercise, code, kind: 'submit' }, as: student });
  if (created.status !== 202) throw new Error(`submission refused: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const graded = await waitFor(`submission ${id} to be graded`, async () => {
    const body = (await (await platform.request(`/api/submissions/${id}`, { as: student })).json()) as { state: string; score: number };
    return body.state === 'graded' && body;
  });
  return graded.score;
}

export interface RegradeJson {
  done: number;
  total: number;
  finished: boolean;
  changes: { student: string; before: number | null; after: number | null; tests: string[] }[];
}

export async function waitForRegrade(platform: TestPlatform, as: Account, id: string, timeoutMs = 120_000): Promise<RegradeJson> {
  return waitFor(`regrade ${id} to finish`, async () => {
    const body = (await (await platform.request(`/api/regrades/${id}`, { as })).json()) as RegradeJson;
    return body.finished && body;
  }, timeoutMs);
}
