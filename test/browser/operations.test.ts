/**
 * An instructor and an admin in Chromium against the real platform: the instructor sets the
 * course's rate limits on its settings page (a value above the site's maximum is stopped), a
 * student meets a database outage and recovers from it, and the admin opens the queue dashboard
 * with jobs waiting in it.
 * Screenshots land in test-results/.
 */
import type { Browser } from 'playwright-core';
import { createCourseWithExercise, exerciseFile } from '../support/services';
import { launchBrowser, screenshot, seriousAccessibilityViolations, signedInContext } from '../support/browser';
import { startPlatform, type TestPlatform } from '../support/web';

jest.setTimeout(300_000);

let platform: TestPlatform;
let browser: Browser;
let courseId: string;

beforeAll(async () => {
  [platform, browser] = await Promise.all([startPlatform({ env: { RATE_LIMIT_MAX_SUBMIT_PER_USER_PER_MINUTE: '30' } }), launchBrowser()]);
  ({ courseId } = await createCourseWithExercise(platform.database.db, 'pipe-message'));
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

it("an instructor sets the course's rate limits on its settings page, within the site's maximum", async () => {
  const instructor = await platform.signUp('Instructor');
  await platform.database.db.enrolment.create({ data: { courseId, userId: instructor.userId, role: 'instructor' } });
  const context = await signedInContext(browser, platform.baseUrl, instructor);
  const page = await context.newPage();
  await page.goto(`/instructor/courses/${courseId}/settings`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Settings of Course /);

  await page.getByLabel('Submissions per student per minute').fill('31');
  await page.getByRole('button', { name: 'Save limits' }).click();
  // The field's own max stops the form first; the API's refusal is what a script meets (operations.test.ts).
  expect(await page.getByLabel('Submissions per student per minute').evaluate((input: HTMLInputElement) => input.validationMessage)).not.toBe('');

  await page.getByLabel('Submissions per student per minute').fill('12');
  await page.getByLabel('Submissions per course per minute').fill('200');
  await page.getByRole('button', { name: 'Save limits' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  expect(await platform.database.db.course.findUniqueOrThrow({ where: { id: courseId } })).toMatchObject({ submitsPerUserPerMinute: 12, submitsPerCoursePerMinute: 200 });
  await page.reload();
  expect(await page.getByLabel('Submissions per student per minute').inputValue()).toBe('12');
  await screenshot(page, 'operations-course-settings');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await context.close();
});

it('a page opened while PostgreSQL is down says a service is unavailable, and shows the page again after Try again once it is back', async () => {
  const student = await platform.signUp('Patient');
  await platform.database.db.enrolment.create({ data: { courseId, userId: student.userId, role: 'student' } });
  const context = await signedInContext(browser, platform.baseUrl, student);
  const page = await context.newPage();
  await platform.databaseProxy.close();
  try {
    await page.goto(`/courses/${courseId}`);
    await page.getByRole('alert').filter({ hasText: 'A service Rendezvous depends on is unavailable; try again in a minute.' }).waitFor();
    await screenshot(page, 'operations-database-down');
  } finally {
    await platform.databaseProxy.open();
  }
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('table').waitFor();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Course /);
  await context.close();
});

it('an admin sees the waiting jobs of the grading queue on the queue dashboard', async () => {
  const student = await platform.signUp('Student');
  await platform.database.db.enrolment.create({ data: { courseId, userId: student.userId, role: 'student' } });
  // No worker runs: the jobs wait where the dashboard shows them.
  for (let i = 0; i < 3; i++) {
    const created = await platform.request('/api/submissions', { body: { course: courseId, exercise: 'pipe-message', code: exerciseFile('pipe-message', 'solution.ts') }, as: student });
    expect(created.status).toBe(202);
  }
  const admin = await platform.signUp('Admin');
  await platform.database.db.user.update({ where: { id: admin.userId }, data: { role: 'admin' } });
  const context = await signedInContext(browser, platform.baseUrl, admin);
  const page = await context.newPage();
  await page.goto('/admin/queues/queue/grading?status=prioritized');
  await page.getByText('Rendezvous queues').first().waitFor();
  await page.getByText('grading').first().waitFor();
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await screenshot(page, 'operations-queue-dashboard');
  await context.close();
});
