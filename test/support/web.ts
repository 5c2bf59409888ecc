/**
 * The real web app for platform tests: `next start` (the build `npm test` makes) on a free port,
 * over a fresh database and a private Redis, with grading workers when a test needs them, and
 * accounts made through the sign-up page's own endpoint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  createTestDatabase,
  freePort,
  startRedis,
  startTcpProxy,
  startWorker,
  uniquePrefix,
  waitFor,
  type TcpProxy,
  type TestDatabase,
  type TestRedis,
  type WorkerProcess,
} from './services';

const ROOT = path.join(__dirname, '..', '..');

export interface Account {
  userId: string;
  email: string;
  /** The session cookie, as a browser would send it back. */
  cookie: string;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Sent as is (for malformed bodies). */
  rawBody?: string;
  as?: Account | null;
  token?: string;
  /** Defaults to the site's own origin on requests that change something; `null` sends none. */
  origin?: string | null;
}

export interface TestPlatform {
  baseUrl: string;
  database: TestDatabase;
  redis: TestRedis;
  prefix: string;
  /** Sits between the web app and PostgreSQL, so a test can take the database away from it. */
  databaseProxy: TcpProxy;
  workers: WorkerProcess[];
  /**
   * A grading worker; `throughProxy` makes it reach PostgreSQL through `databaseProxy` too, so cutting the proxy cuts it off;
   * `lockMs` and `reconcileMs` replace the tests' short intervals (a bench passes the production defaults).
   */
  addWorker(concurrency?: number, options?: { throughProxy?: boolean; lockMs?: number; reconcileMs?: number }): WorkerProcess;
  request(pathname: string, options?: RequestOptions): Promise<Response>;
  signUp(name: string, joinCode?: string): Promise<Account>;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  workers?: number;
  env?: Record<string, string>;
  /** The web app reaches PostgreSQL without `databaseProxy` (which runs in the test's own process): a bench measures the app, not the proxy. */
  directDatabase?: boolean;
}

export async function startPlatform({ workers = 0, env = {}, directDatabase = false }: PlatformOptions = {}): Promise<TestPlatform> {
  const database = await createTestDatabase();
  const redis = await startRedis();
  const prefix = uniquePrefix();
  const databaseUrl = new URL(database.url);
  const databaseProxy = await startTcpProxy(Number(databaseUrl.port || 5432), databaseUrl.hostname);
  const proxiedUrl = new URL(database.url);
  proxiedUrl.port = String(databaseProxy.port);
  proxiedUrl.hostname = '127.0.0.1';

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const web: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: directDatabase ? database.url : proxiedUrl.toString(),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
      BETTER_AUTH_URL: baseUrl,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const webExited = new Promise<void>((resolve) => web.once('exit', () => resolve()));
  await waitFor('the web app to answer /api/health', async () => {
    if (web.exitCode !== null) throw new Error(`next start exited with ${web.exitCode}: was the app built (npm test builds it)?`);
    return fetch(`${baseUrl}/api/health`).then((response) => response.ok, () => false);
  }, 60_000);

  const running: WorkerProcess[] = [];
  const addWorker: TestPlatform['addWorker'] = (concurrency = 1, { throughProxy = false, lockMs, reconcileMs } = {}) => {
    const worker = startWorker({ databaseUrl: throughProxy ? proxiedUrl.toString() : database.url, redisUrl: redis.url, prefix, concurrency, lockMs, reconcileMs });
    running.push(worker);
    return worker;
  };
  for (let i = 0; i < workers; i++) addWorker();

  const request = (pathname: string, { method, body, rawBody, as, token, origin }: RequestOptions = {}): Promise<Response> => {
    const verb = method ?? (body === undefined && rawBody === undefined ? 'GET' : 'POST');
    const headers: Record<string, string> = {};
    if (body !== undefined || rawBody !== undefined) headers['content-type'] = 'application/json';
    if (as) headers.cookie = as.cookie;
    if (token) headers.authorization = `Bearer ${token}`;
    const sentOrigin = origin === undefined ? (verb === 'GET' ? null : baseUrl) : origin;
    if (sentOrigin) headers.origin = sentOrigin;
    return fetch(`${baseUrl}${pathname}`, { method: verb, headers, body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)), redirect: 'manual' });
  };

  const signUp = async (name: string, joinCode?: string): Promise<Account> => {
    const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${randomBytes(3).toString('hex')}@rendezvous.test`;
    const response = await request('/api/auth/sign-up/email', { body: { name, email, password: 'correct horse battery', joinCode } });
    if (!response.ok) throw new Error(`sign-up of ${email} failed: ${response.status} ${await response.text()}`);
    const { user } = (await response.json()) as { user: { id: string } };
    const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
    return { userId: user.id, email, cookie };
  };

  return {
    baseUrl,
    database,
    redis,
    prefix,
    databaseProxy,
    workers: running,
    addWorker,
    request,
    signUp,
    async stop() {
      await Promise.all(running.map((worker) => worker.stop()));
      web.kill('SIGTERM');
      await webExited;
      await databaseProxy.close();
      await redis.stop();
      await database.drop();
    },
  };
}

/** The `state` events of a submission's stream until it ends (or `timeoutMs` passes). */
export async function readStateEvents(response: Response, timeoutMs = 60_000): Promise<{ state: string; score?: number; maxScore?: number }[]> {
  const timer = setTimeout(() => void response.body?.cancel(), timeoutMs);
  try {
    const text = await response.text();
    return text
      .split('\n\n')
      .filter((block) => block.startsWith('event: state'))
      .map((block) => JSON.parse(block.split('\n').find((line) => line.startsWith('data: '))!.slice(6)));
  } finally {
    clearTimeout(timer);
  }
}
