/**
 * The kernel in the student's browser, in Chromium against the real platform: the Run panel shows
 * pipe-message's deadlock at once; in step mode the student is the scheduler and drives Peterson's
 * two processes into the critical section together, sees the race, undoes two steps and takes the
 * other branch; a failed test's counterexample is replayed locally, step by step and to its end; and
 * an exercise of a producer and a consumer starts both, as its tests do, and what the student adds.
 * Screenshots land in test-results/ (run-panel-*.png).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, replaceCode, SCREENSHOTS, screenshot, seriousAccessibilityViolations, signedInContext } from '../support/browser';
import { courseWithExercises } from '../support/course';
import { exerciseFile } from '../support/services';
import { startPlatform, type TestPlatform } from '../support/web';

jest.setTimeout(300_000);

const JOIN_CODE = 'STEPPER';

let platform: TestPlatform;
let browser: Browser;
let page: Page;
let courseId: string;

beforeAll(async () => {
  [platform, browser] = await Promise.all([startPlatform({ workers: 1 }), launchBrowser()]);
  courseId = await courseWithExercises(platform, JOIN_CODE, ['pipe-message', 'peterson', 'bounded-buffer-semaphores']);
  const student = await platform.signUp('Ada Stepper', JOIN_CODE);
  page = await (await signedInContext(browser, platform.baseUrl, student)).newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

const findings = () => page.getByRole('region', { name: 'Findings' });
const button = (name: string) => page.getByRole('button', { name, exact: true });

/** Picks the thread labelled `label` at the current step and waits for the next step (or the end) to be shown. */
async function pick(label: string): Promise<void> {
  const before = (await findings().textContent()) ?? '';
  await button(label).click();
  await page.waitForFunction(
    (previous) => {
      const region = document.querySelector('[aria-label="Findings"]');
      return region !== null && region.textContent !== previous;
    },
    before,
  );
}

/** The step-mode status line: how many steps have been taken. */
async function stepsTaken(): Promise<number> {
  const text = (await findings().textContent()) ?? '';
  const match = /^stepping: (\d+) steps taken/.exec(text);
  if (!match) throw new Error(`not stepping: ${text}`);
  return Number(match[1]);
}

describe('the Run panel', () => {
  // How fast the verdict comes is measured by `npm run bench:browser`, not asserted here.
  it("shows pipe-message's deadlock, who waits where, the trace and the processes", async () => {
    await page.goto(`/courses/${courseId}/exercises/pipe-message`);
    await replaceCode(page, exerciseFile('pipe-message', 'wrong/parent-keeps-write-end.ts'));
    await page.getByLabel('Arguments').fill('hello');
    await page.getByText('Kernel ready').waitFor({ timeout: 60_000 });
    const answered = await page.evaluate(async () => {
      const run = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Run')!;
      const started = performance.now();
      run.click();
      // Gives up after ten seconds, so a panel that never answers fails the test instead of hanging it.
      while (performance.now() - started < 10_000) {
        const text = document.querySelector('[aria-label="Findings"]')?.textContent ?? '';
        if (text.startsWith('deadlock')) return true;
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return false;
    });
    expect(answered).toBe(true);
    await expect(findings().textContent()).resolves.toMatch(/^deadlock.*pid 2 waits in read: the pipe is empty and its write end is still open in pid 2/);
    await expect(page.getByRole('region', { name: 'Trace' }).count()).resolves.toBe(1);
    await expect(page.getByRole('table', { name: 'Processes' }).textContent()).resolves.toContain('pid 3');
    await screenshot(page, 'run-panel-1-deadlock');
  });

  it('ends a loop that never yields as a timeout, and the tab stays responsive', async () => {
    await replaceCode(page, 'export default async function main(sys) {\n  for (;;) {}\n}\n');
    await button('Run').click();
    await findings().filter({ hasText: /^timeout/ }).waitFor({ timeout: 10_000 });
    await expect(page.getByLabel('Arguments').inputValue()).resolves.toBe('hello');
  });
});

describe("step mode on Peterson's algorithm", () => {
  /** Parent pid 2 gives the turn away, then the child pid 3 does the same and walks in; the parent follows it in. */
  const intoTheCriticalSection = [
    ...Array<string>(5).fill('pid 2'), // start, shmget, shmat, fork, store turn = 1
    ...Array<string>(5).fill('pid 3'), // the child starts, stores turn = 0, raises its flag, sees the parent's down, loads the counter
    ...Array<string>(4).fill('pid 2'), // raises its flag, sees the child's up, but turn is 0: in, and loads the counter too
  ];

  it('lets the student drive both processes into the critical section and shows the race on the counter', async () => {
    await page.goto(`/courses/${courseId}/exercises/peterson`);
    await replaceCode(page, exerciseFile('peterson', 'wrong/turn-before-flag.ts'));
    await page.getByLabel('Arguments').fill('1 1');
    await button('Step mode').click();
    await findings().filter({ hasText: /^stepping: 0 steps taken, 1 thread can run/ }).waitFor();
    // The first step of the only thread is offered too, with the call it is about to make beside it.
    await expect(button('pid 2').count()).resolves.toBe(1);
    await expect(page.getByRole('list', { name: 'Runnable threads' }).textContent()).resolves.toContain('start()');
    for (const label of intoTheCriticalSection) await pick(label);
    await expect(stepsTaken()).resolves.toBe(14);
    await screenshot(page, 'run-panel-2-both-in-critical-section');
    // Both are in; the child now stores its increment over the parent's load.
    await expect(findings().textContent()).resolves.not.toContain('cell 3');
    await pick('pid 3');
    await expect(findings().textContent()).resolves.toMatch(/Data race on shared memory segment 1, cell 3: load by pid 2 at step 14 and store by pid 3 at step 15/);
    await expect(page.getByRole('region', { name: 'Trace' }).textContent()).resolves.toContain('Step 15 of 15');
    await screenshot(page, 'run-panel-3-race-found');
    // The panel alone, as the README shows step mode.
    await page.locator('section[aria-labelledby="run-panel-heading"]').screenshot({ path: path.join(SCREENSHOTS, 'run-panel-step-mode.png') });
  });

  it('undoes two steps and takes the other branch: no increment is lost', async () => {
    await button('Undo').click();
    await findings().filter({ hasText: /^stepping: 14 steps taken/ }).waitFor();
    await button('Undo').click();
    await findings().filter({ hasText: /^stepping: 13 steps taken/ }).waitFor();
    // The other branch: the child stores its increment before the parent loads the counter.
    await page.keyboard.press('2');
    await findings().filter({ hasText: /^stepping: 14 steps taken/ }).waitFor();
    await pick('pid 2');
    await button('Run to end').click();
    await findings().filter({ hasText: /^ok/ }).waitFor();
    await expect(page.getByRole('region', { name: 'Output' }).textContent()).resolves.toContain('counter: 2');
    await screenshot(page, 'run-panel-4-other-branch');
  });

  it('saves the schedule and replays it', async () => {
    await button('Save schedule').click();
    await page.getByText('Saved schedules (1)').click();
    await button('Replay schedule 1').click();
    await findings().filter({ hasText: /^stepping: 0 steps taken/ }).waitFor();
    await button('Run to end').click();
    await findings().filter({ hasText: /^ok/ }).waitFor();
    await expect(page.getByRole('region', { name: 'Output' }).textContent()).resolves.toContain('counter: 2');
  });
});

describe('a counterexample replayed locally', () => {
  it("opens a failed visible test's counterexample at its first step and follows it to the deadlock", async () => {
    await page.goto(`/courses/${courseId}/exercises/pipe-message`);
    await replaceCode(page, exerciseFile('pipe-message', 'wrong/parent-keeps-write-end.ts'));
    await button('Run visible tests').click();
    await page.getByRole('status').filter({ hasText: /^Graded/ }).waitFor({ timeout: 120_000 });
    await button('Replay step by step').click();
    await findings().filter({ hasText: /^stepping: 0 steps taken/ }).waitFor();
    // The test's own argument came with its counterexample.
    await expect(page.getByLabel('Arguments').inputValue()).resolves.toBe('hello');
    let steps = 0;
    while ((await findings().textContent())?.startsWith('stepping')) {
      await expect(stepsTaken()).resolves.toBe(steps);
      const before = (await findings().textContent()) ?? '';
      await button('Next in schedule').click();
      await page.waitForFunction((previous) => document.querySelector('[aria-label="Findings"]')?.textContent !== previous, before);
      steps++;
      if (steps === 4) await screenshot(page, 'run-panel-5-counterexample-step');
    }
    await expect(findings().textContent()).resolves.toMatch(/^deadlock/);
    await screenshot(page, 'run-panel-6-counterexample-deadlock');
    expect({ violations: await seriousAccessibilityViolations(page) }).toEqual({ violations: [] });
  });

  it("runs a submission's counterexample to its end along its schedule, so the failure shows again", async () => {
    await page.goto(`/courses/${courseId}/exercises/pipe-message`);
    await replaceCode(page, exerciseFile('pipe-message', 'wrong/short-read-is-eof.ts'));
    await button('Submit').click();
    await page.getByRole('status').filter({ hasText: /^Graded: 5\/11/ }).waitFor({ timeout: 120_000 });
    // A hidden test: under a random schedule a read returns part of the message, and this program stops there.
    const test = page.getByRole('listitem').filter({ hasText: 'parent prints the whole message under every schedule' });
    await test.getByRole('button', { name: 'Replay step by step' }).click();
    await findings().filter({ hasText: /^stepping: 0 steps taken/ }).waitFor();
    await button('Run to end').click();
    await findings().filter({ hasText: /^ok/ }).waitFor();
    const output = (await page.getByRole('region', { name: 'Output' }).textContent()) ?? '';
    expect(output).toContain('The quick brown fox jumps');
    expect(output).not.toContain('lazy dog.');
    // The command line replays it too, with the test's argument and the exercise's pipe.
    await expect(page.getByRole('region', { name: 'Replay in the CLI' }).getByRole('code').textContent()).resolves
      .toMatch(/^npx rendezvous run submission\.ts --replay counterexample\.json --trace --arg 'The quick brown fox .*' --enable proc,fd,pipe --pipe-capacity 16 --pipe-buf 8$/);
    await screenshot(page, 'run-panel-7-counterexample-to-end');
  });
});

describe('an exercise of several programs', () => {
  it('starts the producer and the consumer as its tests do, and the programs the student adds', async () => {
    await page.goto(`/courses/${courseId}/exercises/bounded-buffer-semaphores`);
    await replaceCode(page, exerciseFile('bounded-buffer-semaphores', 'solution.ts'));
    await expect(page.getByLabel('Program 1', { exact: true }).inputValue()).resolves.toBe('producer');
    await expect(page.getByLabel('Arguments', { exact: true }).inputValue()).resolves.toBe('[1,3]');
    await expect(page.getByLabel('Program 2', { exact: true }).inputValue()).resolves.toBe('consumer');
    await expect(page.getByLabel('Arguments of program 2').inputValue()).resolves.toBe('[3]');
    // The kernel loads as the student comes to the panel.
    await page.getByLabel('Arguments', { exact: true }).focus();
    await page.getByText('Kernel ready').waitFor({ timeout: 60_000 });
    await button('Run').click();
    await findings().filter({ hasText: /^ok/ }).waitFor();
    await expect(page.getByRole('region', { name: 'Output' }).textContent()).resolves.toContain('101\n102\n103\n');

    // A second producer, and a consumer that takes its items too.
    await page.getByLabel('Arguments of program 2').fill('[5]');
    await button('Add program').click();
    await page.getByLabel('Program 3', { exact: true }).selectOption('producer');
    await page.getByLabel('Arguments of program 3').fill('2 2');
    await button('Run').click();
    await page.waitForFunction(() => document.querySelector('[aria-label="Output"]')?.textContent?.includes('202'));
    const output = (await page.getByRole('region', { name: 'Output' }).textContent()) ?? '';
    for (const item of ['101', '102', '103', '201', '202']) expect(output).toContain(item);
    await expect(findings().textContent()).resolves.toMatch(/^ok/);
    // The command line starts the three programs from a file the page offers.
    const cli = page.getByRole('region', { name: 'Replay in the CLI' });
    await expect(cli.getByRole('code').textContent()).resolves.toBe('npx rendezvous run submission.ts --replay counterexample.json --trace --programs programs.json --enable shm,sync --max-steps 5000');
    const listing = decodeURIComponent((await cli.getByRole('link', { name: 'programs.json' }).getAttribute('href'))!.replace(/^data:application\/json;charset=utf-8,/, ''));
    expect(JSON.parse(listing)).toEqual([{ entry: 'producer', argv: [1, 3] }, { entry: 'consumer', argv: [5] }, { entry: 'producer', argv: ['2', '2'] }]);
    await screenshot(page, 'run-panel-8-several-programs');

    await page.getByLabel('Arguments of program 3').fill('[2, 2');
    await button('Run').click();
    await expect(page.getByRole('alert').filter({ hasText: 'Arguments' }).textContent()).resolves.toBe(
      'Arguments of program 3 start with [ but are not a JSON array: write words separated by spaces, or an array such as [1, "two words"].');
    await button('Remove program 3').click();
    await expect(page.getByLabel('Program 3', { exact: true }).count()).resolves.toBe(0);
    expect({ violations: await seriousAccessibilityViolations(page) }).toEqual({ violations: [] });
  });
});
