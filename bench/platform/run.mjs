/**
 * The platform benchmark: submit-to-graded latency of pipe-message's reference solution through
 * the real web app (`next start`) and a real worker process (WORKER_CONCURRENCY=2: two sandbox
 * processes grade), over loopback with a signed-in student's cookie — at idle, under a steady
 * offered load, and draining a burst (the capacity, past which the queue grows). The same three
 * figures for the bare grade() the worker calls (two SandboxClients in this process) are measured
 * in the same run, interleaved, so the platform's overhead is a difference and a ratio.
 *
 *   npm run bench:platform [-- --quick] [-- --json FILE]
 *
 * Everything it talks to is its own and on 127.0.0.1: an embedded PostgreSQL and a private Redis
 * in a temporary folder, removed at the end. Every grading is checked to be full marks.
 */
import { writeFileSync } from 'node:fs';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { machine, median, now, printTable, stats } from '../support/measure.mjs';
import { benchPlatform, checkFullMarks, loadPlatformLib, SLUG, submitThroughPlatform } from './platform.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonFile = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;

const SANDBOXES = 2;
const WARMUP = quick ? 4 : 10;
const IDLE_SUBMISSIONS = quick ? 10 : 40;
const LOAD_PER_SECOND = 10;
const LOAD_SECONDS = quick ? 10 : 60;
const BURST = quick ? 40 : 120;
/** The whole bench never runs longer than this. */
const BENCH_DEADLINE_MS = 15 * 60_000;

const lib = await loadPlatformLib();
const exerciseFiles = lib.readPackageFolder(lib.builtInExerciseFolder(SLUG));
const solution = exerciseFiles['solution.ts'];
const services = benchPlatform({ lib, sandboxes: SANDBOXES });
/** Where the platform's time goes at idle: when the POST answered, and when the `running` event came. */
const platformMarks = { posted: [], running: [] };
const watchdog = setTimeout(() => fail(new Error(`the bench ran past ${BENCH_DEADLINE_MS / 60_000} minutes`)), BENCH_DEADLINE_MS);
process.on('SIGINT', () => fail(new Error('interrupted')));

async function fail(error) {
  console.error(`bench:platform stopped: ${error.message}`);
  await services.stop();
  process.exit(1);
}

/** The bare path: grade() in SANDBOXES sandbox processes fed from one FIFO, as the worker's pool is. */
function barePool() {
  const idle = Array.from({ length: SANDBOXES }, () => new lib.SandboxClient());
  const all = [...idle];
  const waiting = [];
  const task = { exercise: { slug: SLUG, files: exerciseFiles }, submission: { fileName: 'submission.ts', source: solution }, options: { visibleOnly: false } };
  const next = () => {
    if (!idle.length || !waiting.length) return;
    const client = idle.pop();
    const { began, resolve, reject } = waiting.shift();
    client.grade(task).then((result) => {
      idle.push(client);
      next();
      try {
        checkFullMarks(result, 'bare grade()');
        resolve(now() - began);
      } catch (error) {
        reject(error);
      }
    });
  };
  return {
    grade: () => new Promise((resolve, reject) => {
      waiting.push({ began: now(), resolve, reject });
      next();
    }),
    close: () => all.forEach((client) => client.close()),
  };
}

async function sequential(once, count) {
  const ms = [];
  for (let i = 0; i < count; i++) ms.push(await once());
  return ms;
}

/** Open loop: a submission every 1/rate s whatever the earlier ones are doing, as students would. */
async function steady(once, perSecond, seconds) {
  const began = now();
  const pending = [];
  let inFlight = 0;
  let maxInFlight = 0;
  for (let i = 0; i < perSecond * seconds; i++) {
    const due = began + (i * 1000) / perSecond;
    if (due > now()) await sleep(due - now());
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    pending.push(once().finally(() => inFlight--));
  }
  const ms = await Promise.all(pending);
  return { ms, maxInFlight, offeredSeconds: (now() - began) / 1000 };
}

/** All at once, then gradings per second while the queue drains (from the 10th completion on, past the start-up). */
async function burst(once, count) {
  const finished = [];
  await Promise.all(Array.from({ length: count }, () => once().then(() => finished.push(now()))));
  finished.sort((a, b) => a - b);
  const from = Math.floor(count / 10);
  return ((count - 1 - from) * 1000) / (finished[count - 1] - finished[from]);
}

const f0 = (ms) => `${ms.toFixed(0)} ms`;
const signed = (ms) => `${ms < 0 ? '-' : '+'}${f0(Math.abs(ms))}`;
const f1 = (value) => value.toFixed(1);

async function main() {
  const startedAt = new Date().toISOString();
  const before = machine();
  const platform = await services.start();
  const bare = barePool();
  const platformOnce = () => submitThroughPlatform(platform, solution, platformMarks);
  const bareOnce = () => bare.grade();

  console.log(`warming up (${WARMUP} gradings each)…`);
  await sequential(bareOnce, WARMUP);
  await sequential(platformOnce, WARMUP);

  console.log(`idle: ${IDLE_SUBMISSIONS} submissions one after another…`);
  const idleBare = await sequential(bareOnce, IDLE_SUBMISSIONS);
  platformMarks.posted.length = platformMarks.running.length = 0;
  const idlePlatform = await sequential(platformOnce, IDLE_SUBMISSIONS);
  const idleMarks = { postAnswered: median(platformMarks.posted), runningEvent: median(platformMarks.running) };

  console.log(`steady load: ${LOAD_PER_SECOND}/s for ${LOAD_SECONDS} s…`);
  const loadBare = await steady(bareOnce, LOAD_PER_SECOND, LOAD_SECONDS);
  const loadPlatform = await steady(platformOnce, LOAD_PER_SECOND, LOAD_SECONDS);

  console.log(`capacity: a burst of ${BURST}…`);
  const capacityBare = await burst(bareOnce, BURST);
  const capacityPlatform = await burst(platformOnce, BURST);
  bare.close();

  const figures = {
    idle: { platform: { ...stats(idlePlatform), medianMs: idleMarks }, bare: stats(idleBare) },
    steady: {
      perSecond: LOAD_PER_SECOND,
      seconds: LOAD_SECONDS,
      platform: { ...stats(loadPlatform.ms), maxInFlight: loadPlatform.maxInFlight },
      bare: { ...stats(loadBare.ms), maxInFlight: loadBare.maxInFlight },
    },
    capacityPerSecond: { platform: capacityPlatform, bare: capacityBare },
  };
  const rows = [
    ['idle, median', f0(figures.idle.platform.median), f0(figures.idle.bare.median), signed(figures.idle.platform.median - figures.idle.bare.median), 'platform < 300 ms'],
    ['idle, p95', f0(figures.idle.platform.p95), f0(figures.idle.bare.p95), signed(figures.idle.platform.p95 - figures.idle.bare.p95), ''],
    ['idle, median until POST answered / running', `${f0(idleMarks.postAnswered)} / ${f0(idleMarks.runningEvent)}`, '', '', ''],
    [`${LOAD_PER_SECOND}/s for ${LOAD_SECONDS} s, median`, f0(figures.steady.platform.median), f0(figures.steady.bare.median), signed(figures.steady.platform.median - figures.steady.bare.median), 'overhead < 100 ms'],
    [`${LOAD_PER_SECOND}/s for ${LOAD_SECONDS} s, p95`, f0(figures.steady.platform.p95), f0(figures.steady.bare.p95), signed(figures.steady.platform.p95 - figures.steady.bare.p95), 'platform < 1 s'],
    [`${LOAD_PER_SECOND}/s, most in flight at once`, figures.steady.platform.maxInFlight, figures.steady.bare.maxInFlight, '', ''],
    ['capacity, gradings/s', f1(capacityPlatform), f1(capacityBare), `${(capacityBare / capacityPlatform).toFixed(2)}×`, ''],
  ];
  console.log('');
  printTable(['pipe-message reference solution, 2 sandboxes', 'platform', 'bare grade()', 'overhead', 'target'], rows);
  const summary = { startedAt, quick, machineBefore: before, machineAfter: machine(), figures };
  console.log(`\nJSON summary: ${JSON.stringify(summary)}`);
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(summary, null, 2)}\n`);
}

try {
  await main();
  clearTimeout(watchdog);
  await services.stop();
} catch (error) {
  await fail(error);
}
