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
/* global fetch, AbortSignal -- Node's own, as in a browser */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { TextDecoder } from 'node:util';
import pg from 'pg';
import { root } from '../support/build.mjs';
import { machine, median, now, percentile, printTable } from '../support/measure.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonFile = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;

const SLUG = 'pipe-message';
const SANDBOXES = 2;
const WARMUP = quick ? 4 : 10;
const IDLE_SUBMISSIONS = quick ? 10 : 40;
const LOAD_PER_SECOND = 10;
const LOAD_SECONDS = quick ? 10 : 60;
const BURST = quick ? 40 : 120;
/** A grading that takes longer than this, even queued behind a loaded machine's backlog, means something is broken: the bench stops. */
const GRADING_DEADLINE_MS = 180_000;
/** The whole bench never runs longer than this. */
const BENCH_DEADLINE_MS = 15 * 60_000;

const lib = await loadPlatformLib();
const exerciseFiles = lib.readPackageFolder(lib.builtInExerciseFolder(SLUG));
const solution = exerciseFiles['solution.ts'];
const workDir = mkdtempSync(path.join(tmpdir(), 'rendezvous-bench-'));
// As root, PostgreSQL runs as `postgres`, which must reach its data folder inside this one.
chmodSync(workDir, 0o755);
const services = [];
const watchdog = setTimeout(() => fail(new Error(`the bench ran past ${BENCH_DEADLINE_MS / 60_000} minutes`)), BENCH_DEADLINE_MS);
process.on('SIGINT', () => fail(new Error('interrupted')));

/** Bundles lib.ts like bench/support/build.mjs does, `__dirname` pinned to grader/ so the sandbox finds dist/. */
async function loadPlatformLib() {
  const { build } = await import('esbuild');
  const outfile = path.join(root, 'node_modules', '.cache', 'rendezvous-bench', 'platform.cjs');
  await build({
    absWorkingDir: root,
    entryPoints: ['bench/platform/lib.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    define: { __dirname: JSON.stringify(path.join(root, 'grader')) },
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}

async function fail(error) {
  console.error(`bench:platform stopped: ${error.message}`);
  await stopAll();
  process.exit(1);
}

async function stopAll() {
  const byName = (name) => services.filter((s) => s.name === name);
  await Promise.all([...byName('web'), ...byName('worker')].map((s) => s.stop('SIGTERM', 30_000)));
  await Promise.all([...byName('Redis').map((s) => s.stop('SIGTERM', 10_000)), ...byName('PostgreSQL').map((s) => s.stop('SIGINT', 20_000))]);
  rmSync(workDir, { recursive: true, force: true });
}

function run(command, commandArgs, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${commandArgs.join(' ')} exited with ${code}`))));
  });
}

/** PostgreSQL, Redis, migrations and the demo seed, the web app and one worker with two sandboxes. */
async function startPlatform() {
  const postgres = await lib.startEmbeddedPostgres({
    dataDir: path.join(workDir, 'postgres'),
    port: await lib.freePort(55432),
    password: lib.keptSecret(path.join(workDir, 'postgres-password')),
    logFile: path.join(workDir, 'postgres.log'),
  });
  services.push(postgres.service);
  const redis = await lib.startPrivateRedis({
    dataDir: path.join(workDir, 'redis'),
    port: await lib.freePort(63890),
    password: lib.keptSecret(path.join(workDir, 'redis-password')),
    logFile: path.join(workDir, 'redis.log'),
  });
  services.push(redis.service);
  const port = await lib.freePort(3300);
  const origin = `http://127.0.0.1:${port}`;
  const databaseUrl = new URL(postgres.url);
  databaseUrl.pathname = '/rendezvous';
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'bench',
    BETTER_AUTH_SECRET: lib.keptSecret(path.join(workDir, 'auth-secret')),
    BETTER_AUTH_URL: origin,
    WORKER_CONCURRENCY: String(SANDBOXES),
    // One student submits hundreds of times here: the per-user limit is lifted for the bench.
    RATE_LIMIT_SUBMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_VISIBLE_PER_MINUTE: '1000000',
  };
  await run(process.execPath, [createRequire(import.meta.url).resolve('tsx/cli'), 'prisma/migrate.ts'], env);
  await run(process.execPath, ['dist/seed.js'], env);
  await lib.waitForOtherWebBuild(root);
  if (lib.webBuildIsStale(root)) {
    console.log('building the web app (next build)…');
    await run(process.execPath, [lib.nextCli(root), 'build'], env);
  }
  const worker = lib.startService('worker', process.execPath, ['--no-node-snapshot', 'dist/worker.js'], { env, cwd: root, logFile: path.join(workDir, 'worker.log') });
  services.push(worker);
  const web = lib.startService('web', process.execPath, [lib.nextCli(root), 'start', '-p', String(port), '-H', '127.0.0.1'], { env, cwd: root, logFile: path.join(workDir, 'web.log') });
  services.push(web);
  await lib.waitUntil('the web app with a live worker', async () => {
    const response = await fetch(`${origin}/api/health`);
    return response.ok && (await response.json()).workers > 0;
  }, 120_000, [web, worker]);

  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const course = (await db.query(`SELECT id FROM course WHERE "joinCode" = 'DEMO-IPC'`)).rows[0].id;
  await db.end();
  return { origin, course, cookie: await signIn(origin) };
}

/** better-auth's email sign-in; the session cookie it sets is what the browser would send. */
async function signIn(origin) {
  const response = await fetch(`${origin}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify({ email: 'student1@rendezvous.test', password: 'demo-student' }),
  });
  if (!response.ok) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
}

function checkFullMarks(result, where) {
  if (result.state !== undefined && result.state !== 'graded') throw new Error(`${where}: ended ${result.state}`);
  if (result.score !== result.maxScore || !(result.maxScore > 0)) throw new Error(`${where}: the reference solution earned ${result.score}/${result.maxScore}`);
}

/** Where the platform's time goes at idle: when the POST answered, and when the `running` event came. */
const platformMarks = { posted: [], running: [] };

/** One submission through the platform: POST, then its event stream until it is graded. Resolves to ms. */
async function submitThroughPlatform(platform) {
  const began = now();
  const headers = { Cookie: platform.cookie, Origin: platform.origin };
  const posted = await fetch(`${platform.origin}/api/submissions`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ course: platform.course, exercise: SLUG, code: solution, kind: 'submit' }),
  });
  if (posted.status !== 202) throw new Error(`POST /api/submissions answered ${posted.status}: ${await posted.text()}`);
  const { id } = await posted.json();
  platformMarks.posted.push(now() - began);
  const events = await fetch(`${platform.origin}/api/submissions/${id}/events`, { headers, signal: AbortSignal.timeout(GRADING_DEADLINE_MS) });
  if (!events.ok) throw new Error(`the event stream answered ${events.status}`);
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of events.body) {
    buffered += decoder.decode(chunk, { stream: true });
    for (const [, data] of buffered.matchAll(/^event: state\ndata: (.*)$/gm)) {
      const event = JSON.parse(data);
      if (event.state === 'running') platformMarks.running.push(now() - began);
      if (event.state === 'graded' || event.state === 'error') {
        const ms = now() - began;
        checkFullMarks(event, `submission ${id}`);
        await events.body.cancel().catch(() => undefined);
        return ms;
      }
    }
  }
  throw new Error(`the event stream of ${id} ended before it was graded`);
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
  const platform = await startPlatform();
  const bare = barePool();
  const platformOnce = () => submitThroughPlatform(platform);
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

function stats(ms) {
  return { count: ms.length, median: median(ms), p95: percentile(ms, 95), max: Math.max(...ms) };
}

try {
  await main();
  clearTimeout(watchdog);
  await stopAll();
} catch (error) {
  await fail(error);
}
