/**
 * The platform the platform benches measure, started for them alone: an embedded PostgreSQL and a
 * private Redis in a temporary folder, the demo seed, `next start` and one worker process, all on
 * 127.0.0.1, with the demo student signed in. `stop()` ends every process it started and removes
 * the folder. The web app is built into .next-bench (NEXT_DIST_DIR), never into another build's folder.
 */
/* global fetch, AbortSignal -- Node's own, as in a browser */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import pg from 'pg';
import { root } from '../support/build.mjs';
import { now } from '../support/measure.mjs';

export const SLUG = 'pipe-message';
const DIST_DIR = '.next-bench';
/** The demo seed's first student. */
const STUDENT = { email: 'student1@rendezvous.test', password: 'demo-student' };
/** A grading that takes longer than this, even queued behind a loaded machine's backlog, means something is broken. */
export const GRADING_DEADLINE_MS = 180_000;

/** Bundles lib.ts like bench/support/build.mjs does, `__dirname` pinned to grader/ so the sandbox finds dist/. */
export async function loadPlatformLib() {
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

function run(command, commandArgs, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${commandArgs.join(' ')} exited with ${code}`))));
  });
}

/**
 * The platform, not yet started: `start()` brings up PostgreSQL, Redis, migrations and the demo
 * seed, the web app (built first if its sources are newer than the build) and one worker with
 * `sandboxes` sandbox processes, and resolves to the signed-in student's view of it;
 * `stop()` ends whatever has started so far, so a bench may call it at any moment.
 */
export function benchPlatform({ lib, sandboxes }) {
  const workDir = mkdtempSync(path.join(tmpdir(), 'rendezvous-bench-'));
  // As root, PostgreSQL runs as `postgres`, which must reach its data folder inside this one.
  chmodSync(workDir, 0o755);
  const services = [];
  return {
    start: () => startServices({ lib, sandboxes, workDir, services }),
    async stop() {
      const byName = (name) => services.filter((s) => s.name === name);
      await Promise.all([...byName('web'), ...byName('worker')].map((s) => s.stop('SIGTERM', 30_000)));
      await Promise.all([...byName('Redis').map((s) => s.stop('SIGTERM', 10_000)), ...byName('PostgreSQL').map((s) => s.stop('SIGINT', 20_000))]);
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

async function startServices({ lib, sandboxes, workDir, services }) {
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
    NEXT_DIST_DIR: DIST_DIR,
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'bench',
    BETTER_AUTH_SECRET: lib.keptSecret(path.join(workDir, 'auth-secret')),
    BETTER_AUTH_URL: origin,
    WORKER_CONCURRENCY: String(sandboxes),
    // One student submits hundreds of times here: the per-user limit is lifted for the bench.
    RATE_LIMIT_SUBMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_VISIBLE_PER_MINUTE: '1000000',
  };
  await run(process.execPath, [createRequire(import.meta.url).resolve('tsx/cli'), 'prisma/migrate.ts'], env);
  await run(process.execPath, ['dist/seed.js'], env);
  await lib.waitForOtherWebBuild(root, DIST_DIR);
  if (lib.webBuildIsStale(root, DIST_DIR)) {
    console.log(`building the web app into ${DIST_DIR} (next build)…`);
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
    body: JSON.stringify(STUDENT),
  });
  if (!response.ok) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
}

export function checkFullMarks(result, where) {
  if (result.state !== undefined && result.state !== 'graded') throw new Error(`${where}: ended ${result.state}`);
  if (result.score !== result.maxScore || !(result.maxScore > 0)) throw new Error(`${where}: the reference solution earned ${result.score}/${result.maxScore}`);
}

/**
 * One submission of `code` through the platform: POST, then its event stream until it is graded
 * (checked to be full marks). Resolves to ms; `marks`, when given, receives when the POST answered
 * and when the `running` event came.
 */
export async function submitThroughPlatform(platform, code, marks) {
  const began = now();
  const headers = { Cookie: platform.cookie, Origin: platform.origin };
  const posted = await fetch(`${platform.origin}/api/submissions`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ course: platform.course, exercise: SLUG, code, kind: 'submit' }),
  });
  if (posted.status !== 202) throw new Error(`POST /api/submissions answered ${posted.status}: ${await posted.text()}`);
  const { id } = await posted.json();
  marks?.posted.push(now() - began);
  const events = await fetch(`${platform.origin}/api/submissions/${id}/events`, { headers, signal: AbortSignal.timeout(GRADING_DEADLINE_MS) });
  if (!events.ok) throw new Error(`the event stream answered ${events.status}`);
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of events.body) {
    buffered += decoder.decode(chunk, { stream: true });
    for (const [, data] of buffered.matchAll(/^event: state\ndata: (.*)$/gm)) {
      const event = JSON.parse(data);
      if (event.state === 'running') marks?.running.push(now() - began);
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
