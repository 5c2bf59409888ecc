/**
 * The platform bench's browser figures, on Debian's Chromium driven by playwright-core against the
 * real platform (one worker, one sandbox, otherwise idle):
 *
 * - click-to-verdict: the signed-in demo student pastes pipe-message's reference solution into the
 *   editor and clicks Submit; the page itself times the click until its live status reads
 *   `Graded: …` (a MutationObserver and performance.now(), no polling from Node). Interleaved, in
 *   the same run, with the API's submit-to-graded (POST /api/submissions, then its event stream).
 * - a run in the browser: the Run panel runs the reference with the argument `hello` on the kernel
 *   in the page's Web Worker; the page times the click on Run until Findings reads `ok` with the
 *   button enabled again (a MutationObserver), checked to print `hello`. Beside it, the same
 *   solution's grading by the worker (the API's submit-to-graded above).
 * - first load of the exercise page in a fresh browser context: the compressed JavaScript received
 *   (CDP `encodedDataLength` of script responses requested before the editor was interactive, so
 *   without the language service and its TypeScript worker, which load afterwards), and the time
 *   from navigation start to an editable **Code** textbox.
 *
 *   npm run bench:browser [-- --json FILE]
 */
/* global window, document, performance, MutationObserver -- in the functions that run in the page */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { clearTimeout, setTimeout } from 'node:timers';
import { machine, median, printTable, stats } from '../support/measure.mjs';
import { benchPlatform, checkFullMarks, GRADING_DEADLINE_MS, loadPlatformLib, SLUG, submitThroughPlatform } from './platform.mjs';

const args = process.argv.slice(2);
const jsonFile = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;

const WARMUP = 3;
const SAMPLES = 20;
const FIRST_LOADS = 5;
/** The whole bench never runs longer than this. */
const BENCH_DEADLINE_MS = 12 * 60_000;

const lib = await loadPlatformLib();
const solution = lib.readPackageFolder(lib.builtInExerciseFolder(SLUG))['solution.ts'];
const services = benchPlatform({ lib, sandboxes: 1 });
let browser = null;
const watchdog = setTimeout(() => fail(new Error(`the bench ran past ${BENCH_DEADLINE_MS / 60_000} minutes`)), BENCH_DEADLINE_MS);
process.on('SIGINT', () => fail(new Error('interrupted')));

async function fail(error) {
  console.error(`bench:browser stopped: ${error.message}`);
  await browser?.close().catch(() => undefined);
  await services.stop();
  process.exit(1);
}

/** Rejects when `promise` takes longer than `ms`: a page that never answers must not hang the bench. */
function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A browser context signed in as the demo student, with the session cookie the platform's sign-in set. */
async function signedInContext(platform) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const cookies = platform.cookie.split('; ').map((pair) => {
    const at = pair.indexOf('=');
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url: platform.origin };
  });
  await context.addCookies(cookies);
  return context;
}

/** Runs in the page before its own scripts: resolves `window.editorInteractive` to performance.now() when the Code textbox is editable. */
function watchForEditor() {
  window.editorInteractive = new Promise((resolve) => {
    const editable = () => document.querySelector('[role="textbox"][aria-label="Code"][contenteditable="true"]');
    const observer = new MutationObserver(() => {
      if (!editable()) return;
      observer.disconnect();
      resolve(performance.now());
    });
    observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['contenteditable', 'aria-label'] });
  });
}

/** One first load in a fresh context (empty cache): JavaScript received before the editor was interactive, and the time to it. */
async function firstLoad(platform, exercisePath) {
  const context = await signedInContext(platform);
  try {
    const page = await context.newPage();
    await page.addInitScript(watchForEditor);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const scripts = new Map();
    const encodedBytes = new Map();
    cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
      if (type === 'Script') scripts.set(requestId, response.url);
    });
    cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => encodedBytes.set(requestId, encodedDataLength));
    await within(120_000, 'the exercise page', page.goto(`${platform.origin}${exercisePath}`));
    const interactiveMs = await within(60_000, 'the editor', page.evaluate(() => window.editorInteractive));
    await checkEditorTakesInput(page);
    // Which scripts the page had asked for by then (Resource Timing shares the page's clock).
    const requestedBefore = new Set(await page.evaluate((at) => performance.getEntriesByType('resource').filter((entry) => entry.startTime <= at).map((entry) => entry.name), interactiveMs));
    await within(60_000, 'the scripts to finish', waitForAll(() => [...scripts.keys()].filter((id) => requestedBefore.has(scripts.get(id))).every((id) => encodedBytes.has(id))));
    const counted = [...scripts.entries()].filter(([, url]) => requestedBefore.has(url));
    return { interactiveMs, scriptCount: counted.length, scriptBytes: counted.reduce((sum, [id]) => sum + encodedBytes.get(id), 0) };
  } finally {
    await context.close();
  }
}

function waitForAll(done) {
  return new Promise((resolve) => {
    const check = () => (done() ? resolve() : setTimeout(check, 50));
    check();
  });
}

/** The textbox takes a keystroke: a character typed at the end is in the editor's text. */
async function checkEditorTakesInput(page) {
  const editor = page.getByRole('textbox', { name: 'Code' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('\n// typed');
  if (!(await editor.textContent()).includes('// typed')) throw new Error('the editor did not take the typed text');
}

/** Replaces the editor's text as a paste would (typing would trigger auto-indent and bracket closing). */
async function pasteSolution(page) {
  await page.getByRole('textbox', { name: 'Code' }).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(solution);
}

/**
 * Runs in the page: resolves `window.verdict` with the click on Submit and the moment the live
 * status first reads `Graded: …` after having left the previous verdict (Queued, Running).
 */
function watchForVerdict() {
  window.verdict = new Promise((resolve) => {
    const region = document.querySelector('[role="status"]');
    let clickAt = null;
    let left = false;
    document.addEventListener('click', (event) => {
      if (clickAt === null && event.target.closest('button')?.textContent.trim() === 'Submit') clickAt = performance.now();
    }, { capture: true });
    const observer = new MutationObserver(() => {
      const text = region.textContent ?? '';
      if (clickAt === null) return;
      if (!text.startsWith('Graded')) left = true;
      else if (left) {
        observer.disconnect();
        resolve({ ms: performance.now() - clickAt, text });
      }
    });
    observer.observe(region, { childList: true, characterData: true, subtree: true });
  });
}

/** One Submit in the browser: ms from the click to the verdict on screen, checked to be full marks for this very submission. */
async function clickToVerdict(page) {
  await pasteSolution(page);
  await page.evaluate(watchForVerdict);
  const [posted] = await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/api/submissions' && response.request().method() === 'POST', { timeout: 60_000 }),
    page.getByRole('button', { name: 'Submit' }).click(),
  ]);
  const { id } = await posted.json();
  const { ms, text } = await within(GRADING_DEADLINE_MS, `the verdict of ${id}`, page.evaluate(() => window.verdict));
  const [score, maxScore] = text.replace('Graded: ', '').split('/').map(Number);
  checkFullMarks({ score, maxScore }, `submission ${id} in the browser`);
  await page.locator(`a[href="/submissions/${id}"]`).waitFor({ timeout: 60_000 });
  return ms;
}

/** One click on the Run panel's Run: ms from the click until the findings of that run are on screen, checked to be `ok` with `hello` printed. */
async function runInPanel(page) {
  const ms = await within(30_000, 'a run in the browser', page.evaluate(() => new Promise((resolve) => {
    const panel = document.getElementById('run-panel-heading').closest('section');
    const run = [...panel.querySelectorAll('button')].find((button) => button.textContent === 'Run');
    let clickAt = null;
    let started = false;
    const observer = new MutationObserver(() => {
      if (run.disabled) started = true;
      const findings = panel.querySelector('[aria-label="Findings"]')?.textContent ?? '';
      if (!started || run.disabled || !findings.startsWith('ok')) return;
      observer.disconnect();
      resolve(performance.now() - clickAt);
    });
    observer.observe(panel, { childList: true, characterData: true, subtree: true, attributes: true });
    clickAt = performance.now();
    run.click();
  })));
  const output = await page.getByRole('region', { name: 'Output' }).textContent();
  if (!output.includes('hello')) throw new Error(`the run in the browser printed ${JSON.stringify(output)}, not hello`);
  return ms;
}

const ms0 = (ms) => `${ms.toFixed(0)} ms`;
const ms1 = (ms) => `${ms.toFixed(1)} ms`;
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;
const loads = () => loadavg().map((load) => load.toFixed(2)).join(', ');

async function main() {
  const startedAt = new Date().toISOString();
  const before = { ...machine(), loadAverages: loads() };
  const platform = await services.start();
  browser = await lib.launchBrowser();
  const exercisePath = `/courses/${platform.course}/exercises/${SLUG}`;

  console.log(`first load of ${exercisePath}, ${FIRST_LOADS} fresh contexts (after one to warm the server)…`);
  await firstLoad(platform, exercisePath);
  const firstLoads = [];
  for (let i = 0; i < FIRST_LOADS; i++) firstLoads.push(await firstLoad(platform, exercisePath));

  const context = await signedInContext(platform);
  const page = await context.newPage();
  await within(120_000, 'the exercise page', page.goto(`${platform.origin}${exercisePath}`));
  console.log(`run in the browser: ${WARMUP} warm-up runs, then ${SAMPLES}…`);
  await pasteSolution(page);
  await page.getByLabel('Arguments').fill('hello');
  const panelMs = [];
  for (let round = 0; round < WARMUP + SAMPLES; round++) {
    const ms = await runInPanel(page);
    if (round >= WARMUP) panelMs.push(ms);
  }
  console.log(`click-to-verdict: ${WARMUP} warm-up rounds, then ${SAMPLES} rounds of one browser Submit and one API submission…`);
  const browserMs = [];
  const apiMs = [];
  for (let round = 0; round < WARMUP + SAMPLES; round++) {
    const inBrowser = await clickToVerdict(page);
    const throughApi = await submitThroughPlatform(platform, solution);
    if (round >= WARMUP) {
      browserMs.push(inBrowser);
      apiMs.push(throughApi);
    }
  }

  const figures = {
    clickToVerdict: { browser: stats(browserMs), api: stats(apiMs) },
    runInBrowser: stats(panelMs),
    firstLoad: {
      contexts: FIRST_LOADS,
      scriptBytesBeforeInteractive: median(firstLoads.map((load) => load.scriptBytes)),
      scriptsBeforeInteractive: median(firstLoads.map((load) => load.scriptCount)),
      interactive: stats(firstLoads.map((load) => load.interactiveMs)),
    },
  };
  const { browser: inBrowser, api } = figures.clickToVerdict;
  const rows = [
    ['click-to-verdict, median', ms0(inBrowser.median), ms0(api.median), `+${ms0(inBrowser.median - api.median)}`, 'browser < 500 ms'],
    ['click-to-verdict, p95', ms0(inBrowser.p95), ms0(api.p95), '', ''],
    ['Run panel: click to findings in the browser, median (beside: the worker\'s grading, submit-to-graded)', ms1(figures.runInBrowser.median), ms0(api.median), '', 'browser < 50 ms'],
    [`first load: JS before the editor is interactive (${figures.firstLoad.scriptsBeforeInteractive} scripts)`, kb(figures.firstLoad.scriptBytesBeforeInteractive), '', '', '< 300 KB compressed'],
    ['first load: navigation start to editable Code, median', ms0(figures.firstLoad.interactive.median), '', '', ''],
  ];
  console.log('');
  printTable([`pipe-message reference solution, 1 sandbox, ${SAMPLES} rounds`, 'browser', 'API', 'browser overhead', 'target'], rows);
  const summary = { startedAt, machineBefore: before, machineAfter: { ...machine(), loadAverages: loads() }, figures, firstLoads };
  console.log(`\nload averages (1, 5, 15 min): ${before.loadAverages} at the start, ${summary.machineAfter.loadAverages} at the end`);
  console.log(`\nJSON summary: ${JSON.stringify(summary)}`);
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(summary, null, 2)}\n`);
}

try {
  await main();
  clearTimeout(watchdog);
  await browser.close();
  await services.stop();
} catch (error) {
  await fail(error);
}
