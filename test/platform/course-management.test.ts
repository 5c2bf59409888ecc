/**
 * Course management through the real web app and a real worker: an instructor assigns exercises
 * with a late policy, invites a teaching assistant, renews the join code; students' scores reach
 * the gradebook's CSV (quoted, formula-safe, late penalty applied); a tightened hidden test is
 * published and a regrade (refused while one runs) changes exactly the score it should; a grade
 * overridden with a reason shows in the CSV; an assignment's dates are moved after assigning, and
 * the student's pages say what the submit API does (late with a penalty, then closed); every
 * grade-changing act leaves an audit entry.
 */
import path from 'node:path';
import { readPackageFolder } from '../../grader/exercise';
import { publishExerciseVersion } from '../../lib/exercises';
import { formatInstant } from '../../lib/format';
import { courseWithInstructor, EXERCISE, loosePipeMessage, pipeMessageFile, submitAndWait, tightenedPipeMessage, waitForRegrade } from '../support/course';
import { startPlatform, type Account, type TestPlatform } from '../support/web';

jest.setTimeout(300_000);

const JOIN_CODE = 'COURSE-API';
const LATE_EXERCISE = 'named-pipe';
const HOUR = 60 * 60 * 1000;
/** A name a spreadsheet would run as a formula, with a comma and quotes to escape besides. */
const FORMULA_NAME = '=HYPERLINK("http://evil.test", "Eve")';

let platform: TestPlatform;
let courseId: string;
let instructor: Account;
let ta: Account;
const students = {} as Record<'ada' | 'bob' | 'eve', Account>;
const scores = {} as Record<'ada' | 'bob' | 'eve' | 'adaLate', number>;

beforeAll(async () => {
  platform = await startPlatform({ workers: 1 });
  const { db } = platform.database;
  await publishExerciseVersion({ slug: EXERCISE, files: loosePipeMessage() }, db);
  await publishExerciseVersion({ slug: LATE_EXERCISE, files: readPackageFolder(path.join(__dirname, '..', '..', 'exercises', LATE_EXERCISE)) }, db);
  ({ courseId, instructor } = await courseWithInstructor(platform, JOIN_CODE));
  students.ada = await platform.signUp('Ada', JOIN_CODE);
  students.bob = await platform.signUp('Bob', JOIN_CODE);
  students.eve = await platform.signUp(FORMULA_NAME, JOIN_CODE);
  ta = await platform.signUp('Tess');
});

afterAll(async () => {
  await platform?.stop();
});

function csvOf(as: Account): Promise<Response> {
  return platform.request(`/api/courses/${courseId}/gradebook.csv`, { as });
}

describe('assigning', () => {
  it('assigns the newest version of an exercise, open now, with a late policy; a second assignment of it is refused', async () => {
    const dueAt = new Date(Date.now() + 7 * 24 * HOUR).toISOString();
    const assign = () => platform.request(`/api/courses/${courseId}/assignments`, { body: { exercise: EXERCISE, dueAt }, as: instructor });
    const created = await assign();
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ slug: EXERCISE, versionNumber: 1 });
    const again = await assign();
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatch(/already assigned/);
  });

  it('refuses a due date before the opening, in a sentence', async () => {
    const response = await platform.request(`/api/courses/${courseId}/assignments`, {
      body: { exercise: LATE_EXERCISE, opensAt: new Date().toISOString(), dueAt: new Date(Date.now() - HOUR).toISOString() },
      as: instructor,
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe('dueAt: the due date must come after the opening.');
  });

  it('takes late work until the hard deadline, less the penalty per started day', async () => {
    const response = await platform.request(`/api/courses/${courseId}/assignments`, {
      body: {
        exercise: LATE_EXERCISE,
        opensAt: new Date(Date.now() - 48 * HOUR).toISOString(),
        dueAt: new Date(Date.now() - HOUR).toISOString(),
        latePenaltyPerDay: 25,
        hardDeadlineAt: new Date(Date.now() + 24 * HOUR).toISOString(),
      },
      as: instructor,
    });
    expect(response.status).toBe(201);
    scores.adaLate = await submitAndWait(platform, students.ada, courseId, readPackageFolder(path.join(__dirname, '..', '..', 'exercises', LATE_EXERCISE))['solution.ts'], LATE_EXERCISE);
    expect(scores.adaLate).toBeGreaterThan(0);
  });
});

describe('staff', () => {
  it('enrols an existing account as a teaching assistant, and refuses an unknown email with a sentence', async () => {
    const invited = await platform.request(`/api/courses/${courseId}/staff`, { body: { email: ta.email, role: 'ta' }, as: instructor });
    expect(invited.status).toBe(201);
    expect(await platform.database.db.enrolment.findUnique({ where: { courseId_userId: { courseId, userId: ta.userId } } })).toMatchObject({ role: 'ta' });
    const unknown = await platform.request(`/api/courses/${courseId}/staff`, { body: { email: 'nobody@rendezvous.test', role: 'instructor' }, as: instructor });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toBe('No account uses nobody@rendezvous.test: ask them to create one at /signup, then invite them again.');
  });

  it('a teaching assistant may not invite anyone', async () => {
    const response = await platform.request(`/api/courses/${courseId}/staff`, { body: { email: students.ada.email, role: 'instructor' }, as: ta });
    expect(response.status).toBe(404);
  });

  it('a new join code enrols students; the old one no longer does', async () => {
    const response = await platform.request(`/api/courses/${courseId}/join-code`, { method: 'POST', as: instructor });
    const { joinCode } = (await response.json()) as { joinCode: string };
    expect(joinCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await expect(platform.signUp('Late joiner', JOIN_CODE)).rejects.toThrow(/No course has the join code/);
    const joined = await platform.signUp('New joiner', joinCode);
    expect(await platform.database.db.enrolment.findUnique({ where: { courseId_userId: { courseId, userId: joined.userId } } })).toMatchObject({ role: 'student' });
  });
});

describe('the gradebook CSV', () => {
  beforeAll(async () => {
    scores.ada = await submitAndWait(platform, students.ada, courseId, pipeMessageFile('solution.ts'));
    scores.bob = await submitAndWait(platform, students.bob, courseId, pipeMessageFile('wrong/child-keeps-read-end.ts'));
    scores.eve = await submitAndWait(platform, students.eve, courseId, pipeMessageFile('wrong/single-read.ts'));
  });

  it('has one row per student: email, name, then the counted score per assignment slug, quoted and formula-safe', async () => {
    const response = await csvOf(instructor);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="gradebook-.*\.csv"$/);
    const lines = (await response.text()).split('\r\n');
    expect(lines[0]).toBe(`email,name,${LATE_EXERCISE},${EXERCISE}`);
    // The named-pipe submission was one started day late: 25% off.
    expect(lines).toContain(`${students.ada.email},Ada,${scores.adaLate * 0.75},${scores.ada}`);
    expect(lines).toContain(`${students.bob.email},Bob,,${scores.ada}`);
    // Eve's email (made from her name) starts with a dash, so it too is kept from being read as a formula.
    expect(lines).toContain(`"'${students.eve.email}","'=HYPERLINK(""http://evil.test"", ""Eve"")",,${scores.eve}`);
    expect(lines.at(-1)).toBe('');
    expect(scores.bob).toBe(scores.ada);
    expect(scores.eve).toBeLessThan(scores.ada);
  });

  it('the gradebook page marks the late score', async () => {
    const page = await platform.request(`/instructor/courses/${courseId}/gradebook`, { as: ta });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`${scores.adaLate * 0.75}/${scores.adaLate}</span><span class="ml-1 font-medium">late (1 d)</span>`);
  });

  it('is open to the teaching assistant, and to no student', async () => {
    expect((await csvOf(ta)).status).toBe(200);
    expect((await csvOf(students.ada)).status).toBe(404);
  });
});

describe('regrading after a hidden test is tightened', () => {
  let regradeId: string;

  it('answers 202 with the regrade, and refuses a second request while it runs, in a sentence', async () => {
    // With no worker the regrade cannot finish before the second request.
    await platform.workers[0].stop();
    const version = await publishExerciseVersion({ slug: EXERCISE, files: tightenedPipeMessage() }, platform.database.db);
    expect(version.number).toBe(2);
    const first = await platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/regrade`, { method: 'POST', as: instructor });
    expect(first.status).toBe(202);
    regradeId = ((await first.json()) as { id: string }).id;
    const second = await platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/regrade`, { method: 'POST', as: instructor });
    expect(second.status).toBe(409);
    expect((await second.json()).error).toBe(`A regrade of '${EXERCISE}' is already running (0 of 3 submissions regraded); wait for it to finish before starting another.`);
    const progress = await platform.request(`/api/regrades/${regradeId}`, { as: ta });
    expect(await progress.json()).toMatchObject({ done: 0, total: 3, changes: [] });
  });

  it('a teaching assistant may watch a regrade but not start one', async () => {
    const response = await platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/regrade`, { method: 'POST', as: ta });
    expect(response.status).toBe(404);
  });

  it('re-grades every counted submission against the new version and reports the score that changed, and the test', async () => {
    platform.addWorker();
    const report = await waitForRegrade(platform, instructor, regradeId);
    expect(report).toMatchObject({ done: 3, total: 3, finished: true });
    // The tightened test is worth one point in two properties (the output, no descriptor left open): Bob's leak loses half.
    expect(report.changes).toEqual([{ student: students.bob.email, before: scores.ada, after: scores.ada - 0.5, tests: ['no descriptor is left open'] }]);

    const { db } = platform.database;
    const assignment = await db.assignment.findFirstOrThrow({ where: { courseId, exercise: { slug: EXERCISE } }, include: { exerciseVersion: true } });
    expect(assignment.exerciseVersion.number).toBe(2);
    const items = await db.regradeItem.findMany({ where: { regradeId } });
    expect(items.map((item) => item.state)).toEqual(['graded', 'graded', 'graded']);
    const lines = (await (await csvOf(instructor)).text()).split('\r\n');
    expect(lines).toContain(`${students.bob.email},Bob,,${scores.ada - 0.5}`);
    expect(lines).toContain(`${students.ada.email},Ada,${scores.adaLate * 0.75},${scores.ada}`);
    const audit = await db.auditEntry.findMany({ where: { courseId, action: 'assignment.regrade' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: instructor.userId, subject: assignment.id, details: expect.objectContaining({ regrade: regradeId, toVersionNumber: 2, submissions: 3 }) });
  });

  it('a regrade when nothing runs is accepted again', async () => {
    const response = await platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/regrade`, { method: 'POST', as: instructor });
    expect(response.status).toBe(202);
    const report = await waitForRegrade(platform, instructor, ((await response.json()) as { id: string }).id);
    expect(report).toMatchObject({ done: 3, total: 3, changes: [] });
  });
});

describe('overriding a grade', () => {
  it('needs a reason', async () => {
    const response = await platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/override`, { body: { student: students.eve.userId, score: 10, reason: ' ' }, as: instructor });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe('reason: give the reason for the override.');
  });

  it('replaces the counted score in the gradebook and records who, why and what before', async () => {
    const response = await platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/override`, { body: { student: students.eve.userId, score: 10, reason: 'graded by hand: the long message arrives' }, as: instructor });
    expect(response.status).toBe(200);
    const lines = (await (await csvOf(instructor)).text()).split('\r\n');
    expect(lines).toContain(`"'${students.eve.email}","'=HYPERLINK(""http://evil.test"", ""Eve"")",,10`);
    const entry = await platform.database.db.auditEntry.findFirstOrThrow({ where: { courseId, action: 'grade.override' } });
    expect(entry).toMatchObject({ actorId: instructor.userId, reason: 'graded by hand: the long message arrives', details: expect.objectContaining({ student: students.eve.userId, score: 10 }) });
  });

  it('is refused to a teaching assistant', async () => {
    const response = await platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/override`, { body: { student: students.bob.userId, score: 10, reason: 'kind' }, as: ta });
    expect(response.status).toBe(404);
  });
});

describe("editing an assignment's dates", () => {
  const datesOf = (slug: string) => `/api/courses/${courseId}/assignments/${slug}/dates`;
  const studentPages = async () => {
    const pages = await Promise.all([`/courses/${courseId}`, `/courses/${courseId}/exercises/${LATE_EXERCISE}`].map((page) => platform.request(page, { as: students.bob })));
    // React marks the seams between adjacent text parts with empty comments.
    return Promise.all(pages.map(async (page) => (await page.text()).replaceAll('<!-- -->', '')));
  };
  const submitLate = () => platform.request('/api/submissions', {
    body: { course: courseId, exercise: LATE_EXERCISE, code: 'export default async function main() {}', kind: 'submit' },
    as: students.bob,
  });

  it('between the due date and the hard deadline, the pages say late with the penalty, and the submit API takes the work', async () => {
    const { hardDeadlineAt } = await platform.database.db.assignment.findFirstOrThrow({ where: { courseId, exercise: { slug: LATE_EXERCISE } } });
    for (const page of await studentPages()) {
      expect(page).toContain(`late: 25% off per day until ${formatInstant(hardDeadlineAt!)}`);
      expect(page).not.toContain('(closed)');
    }
    expect((await submitLate()).status).toBe(202);
  });

  it('moving the due date after a late submission gives back its penalty, and is audited with the dates before and after', async () => {
    const before = await platform.database.db.assignment.findFirstOrThrow({ where: { courseId, exercise: { slug: LATE_EXERCISE } } });
    const dates = {
      opensAt: before.opensAt.toISOString(),
      dueAt: new Date(Date.now() + 24 * HOUR).toISOString(),
      latePenaltyPerDay: 10,
      hardDeadlineAt: new Date(Date.now() + 48 * HOUR).toISOString(),
    };
    const response = await platform.request(datesOf(LATE_EXERCISE), { body: dates, as: instructor });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(dates);

    const lines = (await (await csvOf(instructor)).text()).split('\r\n');
    expect(lines.find((line) => line.startsWith(`${students.ada.email},`))).toBe(`${students.ada.email},Ada,${scores.adaLate},${scores.ada}`);
    const entry = await platform.database.db.auditEntry.findFirstOrThrow({ where: { courseId, action: 'assignment.reschedule' } });
    expect(entry).toMatchObject({ actorId: instructor.userId, subject: before.id });
    expect(entry.details).toEqual({
      slug: LATE_EXERCISE,
      before: { opensAt: before.opensAt.toISOString(), dueAt: before.dueAt.toISOString(), latePenaltyPerDay: 25, hardDeadlineAt: before.hardDeadlineAt!.toISOString() },
      after: dates,
    });
  });

  it('after the hard deadline, the pages say closed and the submit API refuses, with the same date', async () => {
    const hardDeadlineAt = new Date(Date.now() - HOUR);
    const response = await platform.request(datesOf(LATE_EXERCISE), {
      body: { opensAt: new Date(Date.now() - 48 * HOUR).toISOString(), dueAt: new Date(Date.now() - 2 * HOUR).toISOString(), latePenaltyPerDay: 25, hardDeadlineAt: hardDeadlineAt.toISOString() },
      as: instructor,
    });
    expect(response.status).toBe(200);
    for (const page of await studentPages()) {
      expect(page).toContain('(closed)');
      expect(page).not.toContain('late:');
    }
    const refused = await submitLate();
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toBe(`This exercise closed on ${formatInstant(hardDeadlineAt)}; submissions are no longer accepted.`);
  });

  it('refuses a hard deadline before the due date in a sentence, and refuses a teaching assistant', async () => {
    const dates = { opensAt: new Date().toISOString(), dueAt: new Date(Date.now() + 48 * HOUR).toISOString(), latePenaltyPerDay: 0, hardDeadlineAt: new Date(Date.now() + 24 * HOUR).toISOString() };
    const wrong = await platform.request(datesOf(LATE_EXERCISE), { body: dates, as: instructor });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error).toBe('hardDeadlineAt: the hard deadline cannot come before the due date.');
    const byTa = await platform.request(datesOf(LATE_EXERCISE), { body: { ...dates, hardDeadlineAt: null }, as: ta });
    expect(byTa.status).toBe(404);
  });
});

it('releasing results is recorded in the audit log', async () => {
  const response = await platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/release`, { method: 'POST', as: instructor });
  expect(response.status).toBe(200);
  expect(await platform.database.db.auditEntry.count({ where: { courseId, action: 'results.release' } })).toBe(1);
});

it("an exercise's page answers 404 until its first version is published", async () => {
  await platform.database.db.exercise.create({ data: { slug: 'draft-only', title: 'A draft' } });
  const draft = await platform.request('/instructor/exercises/draft-only', { as: instructor });
  await draft.body?.cancel();
  expect(draft.status).toBe(404);
  const published = await platform.request(`/instructor/exercises/${EXERCISE}`, { as: instructor });
  expect(await published.text()).toMatch(/Version 2.*Version 1/s);
});
