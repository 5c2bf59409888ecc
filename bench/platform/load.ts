/**
 * `npm run bench:load`: deadline night on one machine. 1,000 submissions from 100 students (each
 * with a personal API token) in 30 s through the real web app (`next start`) on 127.0.0.1, graded
 * by 2 worker processes, while a signed-in student keeps loading the course page and the exercise
 * page. Reports whether every submission was graded exactly once (in SQL), the drain time, the
 * submit-to-graded percentiles and the page loads' percentiles. Needs what the platform tests
 * need: PostgreSQL at 127.0.0.1:5432 (or TEST_DATABASE_SERVER) and `redis-server` on the PATH.
 *
 *   npm run bench:load [-- --submissions 1000 --students 100 --seconds 30 --workers 2]
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { nextCli, waitForOtherWebBuild, webBuildIsStale } from '../../scripts/local-services';
import { checkExactlyOnce, enrolStudentsWithTokens, sendBurst } from '../../test/support/burst';
import { createCourseWithExercise, exerciseFile, waitFor } from '../../test/support/services';
import { startPlatform, type Account, type TestPlatform } from '../../test/support/web';

const ROOT = path.join(__dirname, '..', '..');
const DIST_DIR = '.next-bench';
const SLUG = 'pipe-message';
/** The target for the web app's page loads during the burst (issue 10). */
const PAGE_P95_TARGET_MS = 300;

const { values: args } = parseArgs({
  options: {
    submissions: { type: 'string', default: '1000' },
    students: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '30' },
    workers: { type: 'string', default: '2' },
  },
});
const TOTAL = Number(args.submissions);
const STUDENTS = Number(args.students);
const BURST_MS = Number(args.seconds) * 1000;
const WORKERS = Number(args.workers);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function summary(values: number[]): string {
  return `median ${Math.round(percentile(values, 50))} ms, p95 ${Math.round(percentile(values, 95))} ms, max ${Math.round(Math.max(...values))} ms (${values.length})`;
}

/** Builds the web app into DIST_DIR when its sources are newer than the build there. */
async function ensureWebBuild(): Promise<void> {
  process.env.NEXT_DIST_DIR = DIST_DIR;
  await waitForOtherWebBuild(ROOT, DIST_DIR);
  if (!webBuildIsStale(ROOT, DIST_DIR)) return;
  console.log(`building the web app into ${DIST_DIR} (next build)…`);
  const built = spawnSync(process.execPath, [nextCli(ROOT), 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (built.status !== 0) throw new Error(`next build exited with ${built.status}`);
}

/** Loads the two pages a student opens most, in turn, until `until()`; answers each load's milliseconds. */
async function loadPagesUntil(platform: TestPlatform, pages: string[], reader: Account, until: () => boolean): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; !until(); i++) {
    const began = performance.now();
    const response = await platform.request(pages[i % pages.length], { as: reader });
    await response.text();
    if (response.status !== 200) throw new Error(`${pages[i % pages.length]} answered ${response.status} during the burst`);
    times.push(performance.now() - began);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return times;
}

async function main(): Promise<void> {
  await ensureWebBuild();
  const platform = await startPlatform({ env: { RATE_LIMIT_MAX_PER_COURSE_PER_MINUTE: String(TOTAL * 4) } });
  try {
    const { db } = platform.database;
    const { courseId } = await createCourseWithExercise(db, SLUG);
    // The instructor raises the course's limits for the night, within the site's maxima, as the settings page would.
    const instructor = await platform.signUp('Instructor');
    await db.enrolment.create({ data: { courseId, userId: instructor.userId, role: 'instructor' } });
    const limits = await platform.request(`/api/courses/${courseId}/rate-limits`, {
      method: 'PUT',
      body: { submitsPerUserPerMinute: Math.ceil((2 * TOTAL) / STUDENTS), submitsPerCoursePerMinute: TOTAL * 4 },
      as: instructor,
    });
    if (limits.status !== 200) throw new Error(`setting the course's limits answered ${limits.status}: ${await limits.text()}`);
    const students = await enrolStudentsWithTokens(db, courseId, STUDENTS);
    const reader = await platform.signUp('Reader');
    await db.enrolment.create({ data: { courseId, userId: reader.userId, role: 'student' } });
    for (let i = 0; i < WORKERS; i++) platform.addWorker(1);
    await waitFor('the workers to be live', async () => ((await (await platform.request('/api/health')).json()) as { workers: number }).workers === WORKERS, 60_000);

    const pages = [`/courses/${courseId}`, `/courses/${courseId}/exercises/${SLUG}`];
    // Loaded twice before: a running site's caches (Prisma's connections, modules loaded on first use) are warm.
    let warmLoads = 0;
    await loadPagesUntil(platform, pages, reader, () => warmLoads++ >= 4);

    console.log(`load: ${TOTAL} submissions from ${STUDENTS} students in ${BURST_MS / 1000} s, ${WORKERS} workers, load average ${loadavg()[0].toFixed(1)}`);
    const codes = [exerciseFile(SLUG, 'solution.ts'), exerciseFile(SLUG, 'wrong/no-wait.ts'), exerciseFile(SLUG, 'wrong/single-read.ts')];
    const began = Date.now();
    let burstOver = false;
    const [report, pageTimes] = await Promise.all([
      sendBurst(platform, { courseId, slug: SLUG, students, codes, total: TOTAL, durationMs: BURST_MS, visibleEvery: 10 }).finally(() => {
        burstOver = true;
      }),
      loadPagesUntil(platform, pages, reader, () => burstOver),
    ]);
    const sentMs = Date.now() - began;
    if (report.failures.length > 0) throw new Error(`${report.failures.length} submissions were refused: ${JSON.stringify(report.failures.slice(0, 3))}`);

    const account = await waitFor('every submission to be graded', async () => {
      const state = await checkExactlyOnce(db, report.ids);
      return state.finished === report.ids.length && state;
    }, 15 * 60_000);
    const [{ drain_ms: drainMs }] = await db.$queryRaw<{ drain_ms: number }[]>`
      SELECT EXTRACT(EPOCH FROM (max("gradedAt") - min("createdAt"))) * 1000 AS drain_ms FROM submission WHERE id = ANY(${report.ids})`;

    const lost = TOTAL - report.ids.length + account.withoutResult.length;
    console.log(`sent in ${(sentMs / 1000).toFixed(1)} s; accepted ${report.ids.length}/${TOTAL}; retried ${report.retried}`);
    console.log(`graded ${account.graded}, ended as the platform's error ${account.finished - account.graded}, lost ${lost}, graded twice ${account.gradedTwice.length} (one result row each, in SQL)`);
    console.log(`drain (first submission created → last verdict stored): ${(Number(drainMs) / 1000).toFixed(1)} s`);
    console.log(`submit-to-graded: ${summary(account.latenciesMs)}`);
    const pageP95 = percentile(pageTimes, 95);
    console.log(`page loads during the burst (${pages.join(', ')}): ${summary(pageTimes)}; target p95 < ${PAGE_P95_TARGET_MS} ms: ${pageP95 < PAGE_P95_TARGET_MS ? 'met' : 'NOT met'}`);
    if (lost > 0 || account.gradedTwice.length > 0) process.exitCode = 1;
  } finally {
    await platform.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
