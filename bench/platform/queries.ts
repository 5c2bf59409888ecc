/**
 * `npm run bench:queries`: what one request costs the database. Runs the real web app (`next
 * start`, built into `.next-bench` as the load bench builds it) with no worker, and counts the
 * SQL transactions PostgreSQL commits for the web app's database (`pg_stat_database.xact_commit`;
 * a Prisma query outside a transaction is one) while it serves N loads of the course page, N of
 * the exercise page and N submissions with a personal token, one after another. Prints the count
 * per request, the web app's CPU time per request (from /proc, so a busy machine's waits do not
 * count) and each request's median time on an otherwise idle web app.
 *
 * `--cpu-prof DIR` writes the web app's V8 CPU profile there when it stops (the three runs are
 * apart by the idle seconds the counters need, so each shows as its own stretch of samples).
 *
 *   npm run bench:queries [-- --requests 20] [--dist-dir DIR --as-built] [--cpu-prof DIR]
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { enrolStudentsWithTokens } from '../../test/support/burst';
import { createCourseWithExercise, exerciseFile } from '../../test/support/services';
import { startPlatform, type TestPlatform } from '../../test/support/web';
import { webCpuMs } from './web-cpu';
import { BENCH_DIST_DIR, ensureWebBuild } from './web-build';

const SLUG = 'pipe-message';
/** PostgreSQL 15 flushes a backend's counters at most once a second, and an idle one's within 10 s. */
const STATS_FLUSH_MS = 11_000;

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '20' },
    // As the load bench's: a web build kept from another commit, served as it is.
    'dist-dir': { type: 'string', default: BENCH_DIST_DIR },
    'as-built': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const REQUESTS = Number(args.requests);

/** Committed transactions of `database`, read from the server's maintenance database (so the reading is not counted). */
async function committed(stats: Client, database: string): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS));
  await stats.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await stats.query<{ xact_commit: string }>('SELECT xact_commit FROM pg_stat_database WHERE datname = $1', [database]);
  return Number(rows[0].xact_commit);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Sends `send` REQUESTS times in turn; answers each one's milliseconds (a status other than `expected` stops the bench). */
async function timed(what: string, expected: number, send: () => Promise<Response>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const began = performance.now();
    const response = await send();
    await response.text();
    if (response.status !== expected) throw new Error(`${what} answered ${response.status}`);
    times.push(performance.now() - began);
  }
  return times;
}

async function measure(platform: TestPlatform, stats: Client, what: string, expected: number, send: () => Promise<Response>): Promise<void> {
  const before = await committed(stats, platform.database.name);
  const cpuBefore = webCpuMs();
  const times = await timed(what, expected, send);
  const cpuMs = (webCpuMs() - cpuBefore) / REQUESTS;
  const after = await committed(stats, platform.database.name);
  console.log(`${what}: ${((after - before) / REQUESTS).toFixed(1)} SQL transactions per request, web app CPU ${cpuMs.toFixed(0)} ms per request, median ${median(times).toFixed(1)} ms (${REQUESTS} requests)`);
}

async function main(): Promise<void> {
  await ensureWebBuild(args['dist-dir'], args['as-built']);
  const profiling: Record<string, string> = args['cpu-prof'] ? { NODE_OPTIONS: `--require ${path.join(__dirname, 'cpu-profile.cjs')}`, RENDEZVOUS_CPU_PROFILE_DIR: path.resolve(args['cpu-prof']) } : {};
  const platform = await startPlatform({
    directDatabase: true,
    env: { RATE_LIMIT_MAX_PER_COURSE_PER_MINUTE: '100000', RATE_LIMIT_MAX_SUBMIT_PER_USER_PER_MINUTE: '100000', ...profiling },
  });
  const stats = new Client({ connectionString: new URL('/postgres', platform.database.url).toString() });
  await stats.connect();
  try {
    const { db } = platform.database;
    const { courseId } = await createCourseWithExercise(db, SLUG);
    await db.course.update({ where: { id: courseId }, data: { submitsPerUserPerMinute: 100_000, submitsPerCoursePerMinute: 100_000 } });
    const [student] = await enrolStudentsWithTokens(db, courseId, 1);
    const reader = await platform.signUp('Reader');
    await db.enrolment.create({ data: { courseId, userId: reader.userId, role: 'student' } });
    const coursePage = `/courses/${courseId}`;
    const exercisePage = `/courses/${courseId}/exercises/${SLUG}`;
    // Warm: modules loaded on first use, the pool's connections open.
    for (const page of [coursePage, exercisePage, coursePage, exercisePage]) await (await platform.request(page, { as: reader })).text();

    await measure(platform, stats, `course page ${coursePage}`, 200, () => platform.request(coursePage, { as: reader }));
    await measure(platform, stats, `exercise page ${exercisePage}`, 200, () => platform.request(exercisePage, { as: reader }));
    const body = { course: courseId, exercise: SLUG, code: exerciseFile(SLUG, 'solution.ts'), kind: 'submit' };
    await measure(platform, stats, 'POST /api/submissions with a token', 202, () => platform.request('/api/submissions', { body, token: student.token }));
  } finally {
    await stats.end();
    await platform.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
