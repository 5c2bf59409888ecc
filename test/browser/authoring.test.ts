/**
 * An instructor writes an exercise from scratch in Chromium against the real platform: slug,
 * title, statement (previewed as students see it), a requirement, a known-wrong solution with the
 * requirement it violates and the feedback it must get, a hidden test with a mistake in it; Validate fails live on that test, Publish is refused with the failing check, the
 * test is fixed, Validate passes, "try as a student" grades the reference, and Publish makes
 * Version 1. The test editors complete the test harness's names, the program editors `sys`'s.
 * Screenshots of each step land in test-results/.
 */
import type { Browser, Page } from 'playwright-core';
import { starterPackage } from '../../lib/authoring';
import { launchBrowser, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { startPlatform, type Account, type TestPlatform } from '../support/web';

jest.setTimeout(300_000);

const SLUG = 'hello-from-scratch';
const GOOD_HIDDEN = starterPackage()['tests/hidden.ts'];
const BAD_HIDDEN = GOOD_HIDDEN.replace("props.stdoutIs('hello\\n')", "props.stdoutIs('hello, world\\n')");
const REQUIREMENTS_LINE = 'ok   3 requirements, each checked by a test; each of the 2 tests checks one and fails for some known-wrong solution';
const STARTER_LINE = 'ok   starter code scores 1/3, below full marks';
const RUN_PANEL_LINE = /^ok {3}the Run panel's programs \(default\) run the reference solution to its end in \d+ steps$/;
const WRONG_LINE = `ok   wrong/prints-nothing.ts (prints nothing at all) scores 1, fails 'prints hello and exits', 'prints hello' and is told /stdout was ""/`;

let platform: TestPlatform;
let browser: Browser;
let page: Page;
let instructor: Account;

beforeAll(async () => {
  [platform, browser] = await Promise.all([startPlatform({ workers: 1 }), launchBrowser()]);
  const { db } = platform.database;
  const course = await db.course.create({ data: { title: 'Operating Systems: IPC', joinCode: 'AUTHORING' } });
  instructor = await platform.signUp('Ada Instructor');
  await db.enrolment.create({ data: { courseId: course.id, userId: instructor.userId, role: 'instructor' } });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, baseURL: platform.baseUrl });
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

/** Replaces an editor's text as a paste would (typing would trigger auto-indent and bracket closing). */
async function replaceText(editorName: string, text: string): Promise<void> {
  await page.getByRole('textbox', { name: editorName, exact: true }).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Types `text` on a new line after line `line` of an editor and waits for a completion named by `option` (and screenshots it). */
async function completes(editorName: string, line: number, text: string, option: RegExp, shot?: string): Promise<void> {
  await page.getByRole('textbox', { name: editorName, exact: true }).click();
  await page.keyboard.press('ControlOrMeta+Home');
  for (let down = 1; down < line; down++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text);
  // The language service loads on the editor's first focus; until then, asking again is what an author does.
  const offered = page.getByRole('option', { name: option }).first();
  for (let asked = 0; asked < 60 && !(await offered.isVisible()); asked++) {
    await page.keyboard.press('Control+Space');
    await offered.waitFor({ timeout: 2_000 }).catch(() => undefined);
  }
  await offered.waitFor({ timeout: 1_000 });
  if (shot) await screenshot(page, shot);
  await page.keyboard.press('Escape');
}

const validation = () => page.getByRole('region', { name: 'Validation' });

/** Clicks Validate and waits for the region's last line, `valid` or `invalid`; answers the region's lines. */
async function validate(): Promise<string[]> {
  // The region is cleared before the validation is queued: once queued, any verdict on screen is this one's.
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith(`/api/exercises/${SLUG}/validate`)),
    page.getByRole('button', { name: 'Validate' }).click(),
  ]);
  await validation().getByRole('listitem').filter({ hasText: /^(valid|invalid)$/ }).waitFor({ timeout: 120_000 });
  return validation().getByRole('listitem').allTextContents();
}

describe('an instructor creates an exercise from scratch', () => {
  it('signs in and opens a new exercise', async () => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(instructor.email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.goto('/instructor/exercises/new');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('New exercise');
  });

  it('names it, writes the statement with a live preview, and saves the draft once it has a slug', async () => {
    await page.getByLabel('Slug').fill(SLUG);
    await page.getByLabel('Title').fill('Hello from scratch');
    await replaceText('Statement', '# Hello from scratch\n\nPrint `hello` from **one** process.\n');
    const preview = page.getByRole('region', { name: 'Statement preview' });
    await preview.getByText('one', { exact: true }).waitFor();
    await expect(preview.locator('strong').textContent()).resolves.toBe('one');
    await page.getByText('Draft saved').waitFor({ timeout: 20_000 });
    await page.waitForURL(`**/instructor/exercises/${SLUG}/edit`);
    const draft = await platform.database.db.exerciseDraft.findUniqueOrThrow({ where: { slug: SLUG } });
    expect(draft.authorId).toBe(instructor.userId);
    expect(JSON.parse((draft.files as Record<string, string>)['exercise.json']).title).toBe('Hello from scratch');
  });

  it("completes the test harness's names in a test file's editor, and sys's in the reference solution's", async () => {
    const visible = starterPackage()['tests/visible.ts'];
    await completes('Visible tests', 3, 'props.stdo', /^stdoutIs/, 'authoring-00-test-completion');
    await replaceText('Visible tests', visible);
    await completes('Reference solution', 1, 'sys.pi', /^pipe/);
    await replaceText('Reference solution', starterPackage()['solution.ts']);
  });

  it("names what is wrong with the Run panel's programs as they are typed, and drops them when emptied", async () => {
    const launch = page.getByLabel(/^Programs the Run panel starts/);
    const problems = page.getByRole('list', { name: 'Metadata problems' });
    await launch.fill('[{"entry": "server"');
    await problems.getByText('exercise.json: launch: Invalid input: expected array, received string').waitFor();
    await launch.fill('[{"entry": "server", "argv": ["hello"]}]');
    await problems.getByText("exercise.json: launch.0.entry: 'server' is not one of the entries (default)").waitFor();
    await launch.fill('');
    await expect(problems.count()).resolves.toBe(0);
  });

  it('adds a requirement, a known-wrong solution with the tests it must fail, what it violates and its feedback, and a hidden test with a mistake', async () => {
    await page.getByRole('button', { name: 'Add requirement' }).click();
    const requirement = page.getByRole('group', { name: 'Requirement 3' });
    await requirement.getByLabel('Id').fill('one-process');
    await requirement.getByLabel('Requirement', { exact: true }).fill('It prints from one process.');
    await requirement.getByLabel('Tests that check it (one per line)').fill('prints hello');

    await page.getByRole('button', { name: 'Add known-wrong solution' }).click();
    const wrong = page.getByRole('group', { name: 'Known-wrong solution 1' });
    await wrong.getByLabel('File').fill('wrong/prints-nothing.ts');
    await wrong.getByLabel('Mistake').fill('prints nothing at all');
    await wrong.getByLabel('Tests it must fail (one per line)').fill('prints hello and exits\nprints hello');
    await wrong.getByLabel('Requirement it violates').selectOption('prints-hello');
    await wrong.getByLabel(/^Feedback it must get/).fill('stdout was ""');
    await replaceText('Hidden tests', BAD_HIDDEN);
    await page.getByLabel('Difficulty').selectOption('intro');
    await screenshot(page, 'authoring-01-draft');
  });

  it('sees Validate fail on the bad hidden test, and Publish refused with the failing check', async () => {
    const lines = await validate();
    expect(lines[0]).toBe(REQUIREMENTS_LINE);
    expect(lines[1]).toMatch(/^FAIL reference solution scores 2\/3: prints hello and exits: stdout was "hello\\n" but should be "hello, world\\n"/);
    expect(lines.slice(2)).toEqual([expect.stringMatching(RUN_PANEL_LINE), STARTER_LINE, WRONG_LINE, 'invalid']);
    await screenshot(page, 'authoring-02-invalid');
    await page.getByRole('button', { name: 'Publish' }).click();
    const refusal = page.getByRole('alert');
    await refusal.getByText(/^Not published: validation failed/).waitFor();
    await expect(refusal.getByRole('listitem').allTextContents()).resolves.toEqual([lines[1]]);
    expect(await platform.database.db.exerciseVersion.count()).toBe(0);
  });

  it('fixes the test, sees Validate pass, tries the reference as a student, and publishes Version 1', async () => {
    await replaceText('Hidden tests', GOOD_HIDDEN);
    const lines = await validate();
    expect(lines).toEqual([
      REQUIREMENTS_LINE,
      expect.stringMatching(/^ok {3}reference solution scores 3\/3 \(\d+ ms\)$/),
      expect.stringMatching(RUN_PANEL_LINE),
      STARTER_LINE,
      WRONG_LINE,
      'valid',
    ]);
    await screenshot(page, 'authoring-03-valid');

    const trial = page.getByRole('region', { name: 'Try as a student' });
    await trial.getByLabel('Program').selectOption('solution.ts');
    await trial.getByRole('button', { name: 'Try as a student' }).click();
    await trial.getByRole('status').filter({ hasText: 'Graded: 1/1' }).waitFor({ timeout: 120_000 });
    await expect(trial.getByRole('region', { name: 'Test results' }).textContent()).resolves.toContain('prints hello');

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published as Version 1.').waitFor();
    await screenshot(page, 'authoring-04-published');
    const version = await platform.database.db.exerciseVersion.findFirstOrThrow({ where: { exercise: { slug: SLUG } }, include: { files: true } });
    expect(version.number).toBe(1);
    expect(version.files.find((file) => file.path === 'tests/hidden.ts')?.content).toBe(GOOD_HIDDEN);
    expect(version.files.map((file) => file.path).sort()).toEqual(['exercise.json', 'solution.ts', 'starter.ts', 'statement.md', 'tests/hidden.ts', 'tests/visible.ts', 'wrong/prints-nothing.ts']);
  });

  it('has no serious accessibility violations on the authoring page', async () => {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
