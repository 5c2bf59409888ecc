/**
 * Real services for platform tests: a fresh PostgreSQL database per test file, a private
 * `redis-server`, grading worker processes built from dist/worker.js, a TCP proxy that can cut a
 * service off, and the rows a submission needs (exercise version, course, assignment, student).
 * Nothing here is a mock: the tests talk to what production talks to.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { readPackageFolder } from '../../grader/exercise';
import { PrismaClient, type SubmissionKind } from '../../lib/generated/prisma/client';
import { stateEventSchema, type StateEvent } from '../../lib/events';
import { publishExerciseVersion } from '../../lib/exercises';
import { closeQueue, enqueueGrading, type GradingReason } from '../../lib/queue';
import { createDatabaseIfMissing, migrate } from '../../prisma/migrate';

const ROOT = path.join(__dirname, '..', '..');

/** The server test databases are created on: TEST_DATABASE_SERVER, or the local one. */
function databaseServer(): string {
  return process.env.TEST_DATABASE_SERVER ?? 'postgresql://postgres@127.0.0.1:5432';
}

export function connectDatabase(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

/** Polls `check` until it answers something other than undefined/false; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// --- PostgreSQL -------------------------------------------------------------------------------

export interface TestDatabase {
  name: string;
  url: string;
  db: PrismaClient;
  drop(): Promise<void>;
}

/** A new, migrated database of its own (`rendezvous_test_<random>`); `drop` removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `rendezvous_test_${randomBytes(6).toString('hex')}`;
  const url = `${databaseServer()}/${name}`;
  await createDatabaseIfMissing(url);
  await migrate(url);
  const db = connectDatabase(url);
  return {
    name,
    url,
    db,
    async drop() {
      await db.$disconnect();
      const admin = new Client({ connectionString: `${databaseServer()}/postgres` });
      await admin.connect();
      try {
        // FORCE: a worker killed by a test may still hold a connection.
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

// --- Redis ------------------------------------------------------------------------------------

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export interface TestRedis {
  port: number;
  url: string;
  /** Kills the server at once (SIGKILL): what it held is gone, as after a crash without persistence. */
  kill(): Promise<void>;
  /** A new, empty server on the same port. */
  restart(): Promise<void>;
  /** Shuts the server down (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

async function pingUntilReady(url: string): Promise<void> {
  await waitFor(`redis-server at ${url}`, async () => {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }, 10_000);
}

/** A private `redis-server` on a free port, persisting nothing (`--save '' --appendonly no`). */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess;
  const launch = async () => {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await pingUntilReady(url);
  };
  await launch();
  const end = async (signal: NodeJS.Signals) => {
    server.kill(signal);
    await exited(server);
  };
  return { port, url, kill: () => end('SIGKILL'), restart: launch, stop: () => end('SIGTERM') };
}

/**
 * Points this test process's queue handle (lib/queue.ts) and event channels (lib/events.ts) at
 * `redisUrl` under `prefix`, as the web app's environment would.
 */
export async function useQueue(redisUrl: string, prefix: string): Promise<void> {
  await closeQueue();
  process.env.REDIS_URL = redisUrl;
  process.env.QUEUE_PREFIX = prefix;
}

export function uniquePrefix(): string {
  return `rzt-${randomBytes(4).toString('hex')}`;
}

/** Every state event published for any submission under `prefix`, in order of arrival. */
export interface StateEvents {
  of(submissionId: string): StateEvent[];
  close(): void;
}

export async function listenForStates(redisUrl: string, prefix: string): Promise<StateEvents> {
  const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
  subscriber.on('error', () => undefined);
  const events = new Map<string, StateEvent[]>();
  const channelStart = `${prefix}:submission:`;
  subscriber.on('pmessage', (_pattern, channel, message) => {
    const id = channel.slice(channelStart.length);
    events.set(id, [...(events.get(id) ?? []), stateEventSchema.parse(JSON.parse(message))]);
  });
  await subscriber.psubscribe(`${channelStart}*`);
  return { of: (id) => events.get(id) ?? [], close: () => subscriber.disconnect() };
}

// --- Worker processes -------------------------------------------------------------------------

export interface WorkerEnvironment {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  concurrency?: number;
  /** Short in tests so a killed worker's job comes back in seconds (production: a minute). */
  lockMs?: number;
  reconcileMs?: number;
}

export interface LogLine {
  msg: string;
  submissionId?: string;
  [field: string]: unknown;
}

export interface WorkerProcess {
  pid: number;
  /** The worker's pino lines so far, parsed. */
  logs: LogLine[];
  kill(signal: NodeJS.Signals): void;
  /** Whether the process is still running. */
  alive(): boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the process to end. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node --no-node-snapshot dist/worker.js` (run `npm run build` first), as `npm run worker` starts it. */
export function startWorker(environment: WorkerEnvironment): WorkerProcess {
  const child = spawn(process.execPath, ['--no-node-snapshot', path.join(ROOT, 'dist', 'worker.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: environment.databaseUrl,
      REDIS_URL: environment.redisUrl,
      QUEUE_PREFIX: environment.prefix,
      WORKER_CONCURRENCY: String(environment.concurrency ?? 1),
      WORKER_LOCK_MS: String(environment.lockMs ?? 4_000),
      WORKER_RECONCILE_MS: String(environment.reconcileMs ?? 1_000),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: LogLine[] = [];
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) logs.push(JSON.parse(line) as LogLine);
  });
  const done = exited(child);
  return {
    pid: child.pid ?? -1,
    logs,
    kill: (signal) => child.kill(signal),
    alive: () => child.exitCode === null && child.signalCode === null,
    exited: done,
    stop: () => {
      child.kill('SIGTERM');
      return done;
    },
  };
}

// --- A TCP proxy that can cut a service off ---------------------------------------------------

export interface TcpProxy {
  port: number;
  /** Refuses new connections and cuts the open ones, as a server that went down. */
  close(): Promise<void>;
  /** Accepts connections again, on the same port. */
  open(): Promise<void>;
}

/** Forwards 127.0.0.1:<port> to `targetHost:targetPort` while open. */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  const open = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket)).on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject).listen(port, '127.0.0.1', () => resolve());
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  await open();
  return { port, open, close };
}

// --- Rows -------------------------------------------------------------------------------------

export interface CourseFixture {
  courseId: string;
  assignmentId: string;
  exerciseVersionId: string;
  studentId: string;
}

/**
 * Publishes `exercises/<slug>` (or the given files) as a version, and assigns it, open now, to a
 * new course with one enrolled student.
 */
export async function createCourseWithExercise(db: PrismaClient, slug: string, files = readPackageFolder(path.join(ROOT, 'exercises', slug))): Promise<CourseFixture> {
  const version = await publishExerciseVersion({ slug, files }, db);
  const tag = randomUUID().slice(0, 8);
  const student = await db.user.create({ data: { id: randomUUID(), name: `Student ${tag}`, email: `student-${tag}@rendezvous.test` } });
  const course = await db.course.create({
    data: { title: `Course ${tag}`, joinCode: `TEST-${tag}`, enrolments: { create: { userId: student.id, role: 'student' } } },
  });
  const day = 24 * 60 * 60 * 1000;
  const assignment = await db.assignment.create({
    data: {
      courseId: course.id,
      exerciseId: version.exerciseId,
      exerciseVersionId: version.versionId,
      opensAt: new Date(Date.now() - day),
      dueAt: new Date(Date.now() + 14 * day),
    },
  });
  return { courseId: course.id, assignmentId: assignment.id, exerciseVersionId: version.versionId, studentId: student.id };
}

/** Stores a submission as queued, as the web app does before queueing it. */
export async function storeSubmission(db: PrismaClient, fixture: CourseFixture, code: string, kind: SubmissionKind = 'submit'): Promise<string> {
  const submission = await db.submission.create({
    data: {
      userId: fixture.studentId,
      assignmentId: fixture.assignmentId,
      exerciseVersionId: fixture.exerciseVersionId,
      code,
      kind,
      state: 'queued',
      queuedAt: new Date(),
    },
  });
  return submission.id;
}

/** Queues a stored submission through lib/queue.ts (see `useQueue`). */
export async function enqueue(id: string, reason: GradingReason): Promise<void> {
  await enqueueGrading(id, reason);
}

/** Stores and queues a submission. */
export async function submit(db: PrismaClient, fixture: CourseFixture, code: string, kind: SubmissionKind = 'submit', reason: GradingReason = kind): Promise<string> {
  const id = await storeSubmission(db, fixture, code, kind);
  await enqueue(id, reason);
  return id;
}

/** A source file of a built-in exercise: `solution.ts`, `wrong/no-wait.ts`, … */
export function exerciseFile(slug: string, file: string): string {
  return readPackageFolder(path.join(ROOT, 'exercises', slug))[file];
}
