/**
 * A student's evening, in Chromium against the real platform: sign up with the join code, open
 * pipe-message, get completion for `sys`, run the visible tests, submit a wrong solution and watch
 * it fail live, step through the trace to the blocked read, fix it, get full marks, and compare
 * both submissions in the history. Then a shared-memory race in the trace viewer, and axe-core on
 * every student page. Screenshots of each step land in test-results/.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, replaceCode, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { courseWithExercises } from '../support/course';
import { exerciseFile } from '../support/services';
import { startPlatform, type TestPlatform } from '../support/web';

jest.setTimeout(300_000);

const JOIN_CODE = 'EVENING';

let platform: TestPlatform;
let browser: Browser;
let page: Page;
let courseId: string;
const visited: string[] = [];

beforeAll(async () => {
  [platform, browser] = await Promise.all([startPlatform({ workers: 1 }), launchBrowser()]);
  courseId = await courseWithExercises(platform, JOIN_CODE, ['pipe-message', 'shared-memory']);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, baseURL: platform.baseUrl });
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

async function visit(pathname: string): Promise<void> {
  await page.goto(pathname);
  visited.push(new URL(page.url()).pathname);
}

/** Records every text the live status shows from now on, as a student watching it would see them. */
async function watchStatus(): Promise<void> {
  await page.evaluate(() => {
    const region = document.querySelector('[role="status"]')!;
    const seen: string[] = [];
    (window as unknown as { statusesSeen: string[] }).statusesSeen = seen;
    new MutationObserver(() => seen.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
  });
}

const statusesSeen = (): Promise<string[]> => page.evaluate(() => (window as unknown as { statusesSeen: string[] }).statusesSeen);

const SHORTCUTS = { 'Run visible tests': 'ControlOrMeta+Enter', Submit: 'ControlOrMeta+Shift+Enter' } as const;

/**
 * Clicks Run visible tests or Submit (or, `byKeyboard`, presses its shortcut in the editor), then
 * waits until that very submission's result is on the page.
 */
async function sendAndWait(button: 'Run visible tests' | 'Submit', byKeyboard = false): Promise<string> {
  await watchStatus();
  const send = byKeyboard
    ? page.getByRole('textbox', { name: 'Code' }).press(SHORTCUTS[button])
    : page.getByRole('button', { name: button }).click();
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/submissions' && r.request().method() === 'POST'),
    send,
  ]);
  const { id } = (await response.json()) as { id: string };
  await page.locator(`a[href="/submissions/${id}"]`).waitFor({ timeout: 120_000 });
  return (await page.getByRole('status').filter({ hasText: /^(Graded|Error)/ }).textContent()) ?? '';
}

function scoreOf(status: string): [number, number] {
  const [score, max] = status.replace('Graded: ', '').split('/').map(Number);
  return [score, max];
}

describe("a student's evening with pipe-message", () => {
  it('signs up with the join code and finds the course', async () => {
    await visit('/signup');
    await page.getByLabel('Name').fill('Grace Student');
    await page.getByLabel('Email').fill('grace@rendezvous.test');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByLabel('Join code').fill(JOIN_CODE);
    await screenshot(page, '01-signup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/courses');
    visited.push('/courses');
    await page.getByRole('link', { name: 'Operating Systems: IPC' }).click();
    await page.waitForURL(`**/courses/${courseId}`);
    visited.push(`/courses/${courseId}`);
    await expect(page.getByRole('columnheader', { name: 'Status' }).count()).resolves.toBe(1);
    await screenshot(page, '02-course');
  });

  it('opens pipe-message and gets completion for sys.pi…', async () => {
    await page.getByRole('link', { name: 'A message through a pipe' }).click();
    await page.waitForURL('**/exercises/pipe-message');
    visited.push(new URL(page.url()).pathname);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('A message through a pipe');
    const editor = page.getByRole('textbox', { name: 'Code' });
    await expect(editor.textContent()).resolves.toContain('export default async function main');
    // Inside main, where `sys` is in scope: the end of its first line.
    await editor.click();
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('sys.pi');
    // The language service loads after the editor is interactive; until then, asking again is what a student does.
    const option = page.getByRole('option', { name: /^pipe/ }).first();
    for (let asked = 0; asked < 60 && !(await option.isVisible()); asked++) {
      await page.keyboard.press('Control+Space');
      await option.waitFor({ timeout: 2_000 }).catch(() => undefined);
    }
    await option.waitFor({ timeout: 1_000 });
    await screenshot(page, '03-completion');
    await page.keyboard.press('Escape');
  });

  it('runs the visible tests with Ctrl+Enter and sees the live status end in a score', async () => {
    await replaceCode(page, exerciseFile('pipe-message', 'starter.ts'));
    const status = await sendAndWait('Run visible tests', true);
    expect(status).toMatch(/^Graded: \d+(\.\d+)?\/\d+$/);
    await screenshot(page, '04-visible-run');
  });

  it('submits a wrong solution and sees it fail, live', async () => {
    await replaceCode(page, exerciseFile('pipe-message', 'wrong/parent-keeps-write-end.ts'));
    const [score, max] = scoreOf(await sendAndWait('Submit'));
    expect(score).toBeLessThan(max);
    // Live: the page went through the queue without a reload.
    expect((await statusesSeen())[0]).toBe('Queued');
    await expect(page.getByRole('region', { name: 'Test results' }).textContent()).resolves.toMatch(/deadlock/i);
    await screenshot(page, '05-wrong-submission');
  });

  it('opens the trace of the failing test and steps through it to the blocked read', async () => {
    await page.getByRole('link', { name: 'Open this submission' }).click();
    await page.waitForURL('**/submissions/**');
    visited.push(new URL(page.url()).pathname);
    await page.getByRole('button', { name: 'Show trace' }).first().click();
    const trace = page.getByRole('region', { name: 'Trace' });
    await trace.waitFor();
    await expect(trace.getByText('pid 2', { exact: true }).count()).resolves.toBeGreaterThan(0);
    const next = page.getByRole('button', { name: 'Next step' });
    let steps = 0;
    while (await next.isEnabled() && steps < 500) {
      await next.click();
      steps++;
    }
    expect(steps).toBeGreaterThan(0);
    // The last step is the parent's read that never returns: its own write end keeps the pipe open.
    await expect(trace.textContent()).resolves.toMatch(/read\(/);
    await expect(trace.textContent()).resolves.toMatch(/block/i);
    await screenshot(page, '06-trace');
    await page.getByRole('button', { name: 'Previous step' }).click();
  });

  it('sees a compile error at its line and column in the editor', async () => {
    await visit(`/courses/${courseId}/exercises/pipe-message`);
    await replaceCode(page, 'export default async function main(sys: any) {\n  const broken = ;\n}\n');
    const [score] = scoreOf(await sendAndWait('Run visible tests'));
    expect(score).toBe(0);
    await expect(page.getByRole('region', { name: 'Test results' }).textContent()).resolves.toMatch(/does not compile: .*line 2, column 18/);
    // The editor puts the cursor on the error and marks it, once its error-marking code has loaded (a chunk of its own).
    await page.locator('.cm-activeLine', { hasText: 'const broken = ;' }).waitFor();
    await page.locator('.cm-lintRange-error').first().waitFor();
    await screenshot(page, '07-compile-error');
  });

  it('fixes the code and earns full marks', async () => {
    await visit(`/courses/${courseId}/exercises/pipe-message`);
    await replaceCode(page, exerciseFile('pipe-message', 'solution.ts'));
    const [score, max] = scoreOf(await sendAndWait('Submit'));
    expect(score).toBe(max);
    await screenshot(page, '07-full-marks');
  });

  it('finds both submissions in the history, with their diff', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    await page.waitForURL('**/history');
    visited.push(new URL(page.url()).pathname);
    await expect(page.getByRole('row').count()).resolves.toBeGreaterThanOrEqual(4);
    const diff = page.getByLabel('Differences');
    await expect(diff.innerText()).resolves.toMatch(/^\+ +await sys\.close\(writeEnd\);$/m);
    await screenshot(page, '08-history');
  });

  it('finds the draft again after a reload', async () => {
    await visit(`/courses/${courseId}/exercises/pipe-message`);
    await replaceCode(page, '// my draft, kept for later\n');
    await page.getByText('Draft saved').waitFor();
    await page.reload();
    await expect(page.getByRole('textbox', { name: 'Code' }).textContent()).resolves.toContain('my draft, kept for later');
  });
});

describe('a shared-memory race in the trace viewer', () => {
  it('shows the racing accesses of a writer that posts before it writes', async () => {
    await visit(`/courses/${courseId}/exercises/shared-memory`);
    await replaceCode(page, exerciseFile('shared-memory', 'wrong/post-before-write.ts'));
    await sendAndWait('Submit');
    await page.getByRole('link', { name: 'Open this submission' }).click();
    await page.waitForURL('**/submissions/**');
    const raceTest = page.getByRole('listitem').filter({ hasText: 'no data race: the reader loads only after the writer has stored' });
    await raceTest.getByRole('button', { name: 'Show trace' }).click();
    const trace = page.getByRole('region', { name: 'Trace' });
    await trace.waitFor();
    await expect(trace.textContent()).resolves.toContain('Data race');
    await screenshot(page, '09-race');
  });
});

describe('a long run in the trace viewer', () => {
  it('loads the whole trace of a run longer than a stored result keeps', async () => {
    await visit(`/courses/${courseId}/exercises/pipe-message`);
    // A known deadlock after 1,500 yields: its counterexample is stored with only its last steps.
    const longDeadlock = exerciseFile('pipe-message', 'wrong/parent-keeps-write-end.ts').replace(
      'const [readEnd, writeEnd] = await sys.pipe();',
      'for (let i = 0; i < 1500; i++) await sys.yield();\n  const [readEnd, writeEnd] = await sys.pipe();',
    );
    await replaceCode(page, longDeadlock);
    await sendAndWait('Submit');
    await page.getByRole('link', { name: 'Open this submission' }).click();
    await page.waitForURL('**/submissions/**');
    await page.getByRole('listitem').filter({ hasText: 'no deadlock' }).getByRole('button', { name: 'Show trace' }).click();
    const trace = page.getByRole('region', { name: 'Trace' });
    const stepsShown = async () => Number((await trace.getByText(/^Step \d+ of [\d,]+$/).textContent())!.replace(/.* of /, '').replace(/,/g, ''));
    const before = await stepsShown();
    await trace.getByRole('button', { name: 'Load the whole trace' }).click();
    await trace.getByRole('button', { name: 'Load the whole trace' }).waitFor({ state: 'detached', timeout: 60_000 });
    expect(await stepsShown()).toBeGreaterThan(before);
    await screenshot(page, '09-whole-trace');
  });
});

describe('accessibility and small screens', () => {
  it('every student page has no serious or critical axe-core violation', async () => {
    const pages = [...new Set(visited)];
    expect(pages.length).toBeGreaterThanOrEqual(6);
    for (const pathname of pages) {
      await page.goto(pathname);
      await page.waitForLoadState('networkidle');
      expect({ pathname, violations: await seriousAccessibilityViolations(page) }).toEqual({ pathname, violations: [] });
    }
    await page.context().clearCookies();
    for (const pathname of ['/', '/login', '/signup']) {
      await page.goto(pathname);
      expect({ pathname, violations: await seriousAccessibilityViolations(page) }).toEqual({ pathname, violations: [] });
    }
  });

  it('the sign-in page says when the password is wrong', async () => {
    await visit('/login');
    await page.getByLabel('Email').fill('grace@rendezvous.test');
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Next's route announcer is an alert too: find ours by what it says.
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
  });

  it('the exercise page works 390 px wide', async () => {
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/courses');
    await page.setViewportSize({ width: 390, height: 844 });
    await visit(`/courses/${courseId}/exercises/pipe-message`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, '10-narrow');
  });
});
