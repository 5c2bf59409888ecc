/**
 * An instructor's course in Chromium against the real platform: assign pipe-message (published
 * through lib/ in setup), a student solves it in the browser, the instructor publishes a tightened
 * hidden test, runs Regrade and watches the changed score appear, reads the gradebook and its
 * charts, downloads the CSV, finds the leaky submission in the inspector by its failed test and
 * overrides its grade, then moves the due date into the past and the student's course page says
 * late work is taken with the penalty until the hard deadline. axe-core checks every instructor page; screenshots land in test-results/.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { publishExerciseVersion } from '../../lib/exercises';
import { formatInstant } from '../../lib/format';
import { launchBrowser, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { courseWithInstructor, EXERCISE, loosePipeMessage, pipeMessageFile, submitAndWait, tightenedPipeMessage } from '../support/course';
import { startPlatform, type Account, type TestPlatform } from '../support/web';

jest.setTimeout(300_000);

const JOIN_CODE = 'INSTRUCTING';
const PASSWORD = 'correct horse battery';
const TIGHTENED_TEST = 'no descriptor is left open';

let platform: TestPlatform;
let browser: Browser;
let teacher: Page;
let courseId: string;
let instructor: Account;
let bob: Account;

beforeAll(async () => {
  [platform, browser] = await Promise.all([startPlatform({ workers: 1 }), launchBrowser()]);
  await publishExerciseVersion({ slug: EXERCISE, files: loosePipeMessage() }, platform.database.db);
  ({ courseId, instructor } = await courseWithInstructor(platform, JOIN_CODE));
  bob = await platform.signUp('Bob', JOIN_CODE);
  teacher = await browser.newPage({ viewport: { width: 1280, height: 900 }, baseURL: platform.baseUrl, acceptDownloads: true });
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

async function signIn(page: Page, email: string, returnTo: string): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**${returnTo}`);
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

it('the instructor assigns pipe-message from the course page', async () => {
  await signIn(teacher, instructor.email, '/instructor');
  await expect(teacher.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Courses you teach');
  await screenshot(teacher, 'instructor-01-courses');
  await expectAccessible(teacher);
  await teacher.getByRole('link', { name: 'Operating Systems: IPC' }).click();
  await teacher.waitForURL(`**/instructor/courses/${courseId}`);
  await teacher.getByRole('button', { name: 'Assign exercise' }).click();
  await teacher.getByLabel('Exercise').selectOption(EXERCISE);
  await expect(teacher.getByLabel('Open now').isChecked()).resolves.toBe(true);
  await teacher.getByLabel('Late penalty (% per day)').fill('10');
  await screenshot(teacher, 'instructor-02-assign-form');
  await expectAccessible(teacher);
  await teacher.getByRole('button', { name: 'Assign', exact: true }).click();
  const row = teacher.getByRole('row', { name: /A message through a pipe/ });
  await row.waitFor();
  await expect(row.textContent()).resolves.toMatch(/Version 1.*best submission.*immediately.*0 from 0 students/);
  await expect(teacher.getByRole('link', { name: 'Gradebook' }).count()).resolves.toBe(1);
  await expect(teacher.getByRole('link', { name: 'Submissions' }).count()).resolves.toBe(1);
  await screenshot(teacher, 'instructor-03-course');
  await expectAccessible(teacher);
});

it('a student solves it in the browser, and another leaves a descriptor open', async () => {
  const student = await browser.newPage({ viewport: { width: 1280, height: 900 }, baseURL: platform.baseUrl });
  const ada = await platform.signUp('Ada', JOIN_CODE);
  await signIn(student, ada.email, `/courses/${courseId}/exercises/${EXERCISE}`);
  const editor = student.getByRole('textbox', { name: 'Code' });
  await editor.click();
  await student.keyboard.press('ControlOrMeta+A');
  await student.keyboard.press('Delete');
  await student.keyboard.insertText(pipeMessageFile('solution.ts'));
  await student.getByRole('button', { name: 'Submit' }).click();
  await student.getByRole('status').filter({ hasText: /^Graded: (\d+)\/\1$/ }).waitFor({ timeout: 120_000 });
  await student.close();
  await submitAndWait(platform, bob, courseId, pipeMessageFile('wrong/child-keeps-read-end.ts'));
});

it('after a hidden test is tightened, Regrade shows its progress and the changed score', async () => {
  await publishExerciseVersion({ slug: EXERCISE, files: tightenedPipeMessage() }, platform.database.db);
  await teacher.goto(`/instructor/exercises/${EXERCISE}`);
  await expect(teacher.getByText(/^Version \d$/).allTextContents()).resolves.toEqual(['Version 2', 'Version 1']);
  const course = teacher.getByRole('region', { name: 'Operating Systems: IPC' });
  await course.getByRole('button', { name: 'Regrade' }).click();
  await course.getByRole('status').filter({ hasText: 'Regraded 2/2: finished' }).waitFor({ timeout: 120_000 });
  const change = course.getByRole('row', { name: new RegExp(bob.email) });
  await expect(change.getByRole('cell').allTextContents()).resolves.toEqual([bob.email, '11', '10.5', TIGHTENED_TEST]);
  await screenshot(teacher, 'instructor-04-regrade');
  await expectAccessible(teacher);
});

it('the gradebook shows the new scores and both charts, and exports the CSV', async () => {
  await teacher.goto(`/instructor/courses/${courseId}/gradebook`);
  await expect(teacher.getByRole('row', { name: /Bob/ }).textContent()).resolves.toContain('10.5/11');
  await expect(teacher.getByRole('row', { name: /Ada/ }).textContent()).resolves.toContain('11/11');
  for (const chart of ['Score distribution', 'Pass rate by test']) {
    await teacher.getByRole('region', { name: chart }).locator('svg').first().waitFor();
  }
  await expect(teacher.getByRole('region', { name: 'Pass rate by test' }).textContent()).resolves.toContain(`Most failed: ${TIGHTENED_TEST} (hidden), passed by 1 of 2.`);
  await screenshot(teacher, 'instructor-05-gradebook');
  await expectAccessible(teacher);
  const [download] = await Promise.all([teacher.waitForEvent('download'), teacher.getByRole('link', { name: 'Export CSV' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8').split('\r\n');
  expect(csv[0]).toBe(`email,name,${EXERCISE}`);
  expect(csv).toContain(`${bob.email},Bob,10.5`);
});

it('the inspector finds the leaky submission by its failed test, and an override with a reason reaches the gradebook', async () => {
  await teacher.goto(`/instructor/courses/${courseId}/submissions`);
  await teacher.getByLabel('Test failed').selectOption(TIGHTENED_TEST);
  await teacher.getByRole('button', { name: 'Filter' }).click();
  await teacher.waitForURL(/failed=/);
  const rows = teacher.getByRole('row').filter({ hasText: TIGHTENED_TEST });
  await expect(rows.count()).resolves.toBe(1);
  await expect(rows.textContent()).resolves.toContain('Bob');
  await rows.getByRole('link').click();
  await teacher.getByRole('heading', { name: /Bob's submission of pipe-message/ }).waitFor();
  await screenshot(teacher, 'instructor-06-inspector');
  await expectAccessible(teacher);
  await teacher.getByLabel('Score').fill('11');
  await teacher.getByLabel('Reason').fill('closes it in the handler the test cannot see');
  await teacher.getByRole('button', { name: 'Override grade' }).click();
  await teacher.getByRole('status').filter({ hasText: 'The gradebook now shows' }).waitFor();
  await teacher.goto(`/instructor/courses/${courseId}/gradebook`);
  await expect(teacher.getByRole('row', { name: /Bob/ }).textContent()).resolves.toContain('overridden: closes it in the handler the test cannot see');
});

it("the instructor edits the dates after assigning, and the student's course page says late, with the penalty until the hard deadline", async () => {
  const minute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000);
  const [opensAt, dueAt, hardDeadlineAt] = [minute(Date.now() - 48 * 3_600_000), minute(Date.now() - 2 * 3_600_000), minute(Date.now() + 72 * 3_600_000)];
  // A datetime-local field takes the browser's own time zone.
  const local = (date: Date) => teacher.evaluate((ms) => {
    const shifted = new Date(ms);
    shifted.setMinutes(shifted.getMinutes() - shifted.getTimezoneOffset());
    return shifted.toISOString().slice(0, 16);
  }, date.getTime());
  await teacher.goto(`/instructor/courses/${courseId}`);
  await teacher.getByRole('button', { name: 'Edit dates of A message through a pipe' }).click();
  const dialog = teacher.getByRole('dialog', { name: 'Dates of A message through a pipe' });
  await dialog.getByLabel('Opens (your time zone)').fill(await local(opensAt));
  await dialog.getByLabel('Due (your time zone)').fill(await local(dueAt));
  await dialog.getByLabel('Late penalty (% per day)').fill('20');
  await dialog.getByLabel('Hard deadline (your time zone)').fill(await local(hardDeadlineAt));
  await screenshot(teacher, 'instructor-07-dates');
  await expectAccessible(teacher);
  await dialog.getByRole('button', { name: 'Save dates' }).click();
  await dialog.waitFor({ state: 'hidden' });
  // The page shows the stored dates once it has refreshed.
  const row = teacher.getByRole('row', { name: /A message through a pipe/ }).filter({ hasText: `20% off per day late, until ${formatInstant(hardDeadlineAt)}` });
  await row.waitFor();
  await expect(row.textContent()).resolves.toContain(formatInstant(dueAt));
  await screenshot(teacher, 'instructor-08-dates-saved');
  expect(await platform.database.db.auditEntry.count({ where: { courseId, action: 'assignment.reschedule', actorId: instructor.userId } })).toBe(1);

  const student = await browser.newPage({ viewport: { width: 1280, height: 900 }, baseURL: platform.baseUrl });
  await signIn(student, bob.email, `/courses/${courseId}`);
  await expect(student.getByRole('row', { name: /A message through a pipe/ }).textContent()).resolves.toContain(`(late: 20% off per day until ${formatInstant(hardDeadlineAt)})`);
  await screenshot(student, 'student-late-course');
  await student.close();
});
