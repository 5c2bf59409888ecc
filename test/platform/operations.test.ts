/**
 * What an operator and an instructor rely on, against the real web app and a real worker: the
 * metrics a scrape reads (queue depth and age while jobs wait, verdicts, latencies, refusals),
 * the queue dashboard for admins only, and a course's rate limits within the site's maxima.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readPackageFolder } from '../../grader/exercise';
import { publishExerciseVersion } from '../../lib/exercises';
import { waitFor } from '../support/services';
import { startPlatform, type Account, type TestPlatform } from '../support/web';

jest.setTimeout(180_000);

const SLUG = 'pipe-message';
const files = readPackageFolder(path.join(__dirname, '..', '..', 'exercises', SLUG));
const METRICS_TOKEN = 'scrape-me-please-0123456789';
const DAY_MS = 24 * 60 * 60 * 1000;

let platform: TestPlatform;
let courseId: string;
let instructor: Account;
let admin: Account;
const students: Account[] = [];

beforeAll(async () => {
  platform = await startPlatform({
    env: { METRICS_TOKEN, RATE_LIMIT_MAX_SUBMIT_PER_USER_PER_MINUTE: '10', RATE_LIMIT_MAX_PER_COURSE_PER_MINUTE: '8' },
  });
  const { db } = platform.database;
  const version = await publishExerciseVersion({ slug: SLUG, files }, db);
  const course = await db.course.create({ data: { title: 'Operations', joinCode: 'OPS-1' } });
  courseId = course.id;
  await db.assignment.create({
    data: { courseId, exerciseId: version.exerciseId, exerciseVersionId: version.versionId, opensAt: new Date(Date.now() - DAY_MS), dueAt: new Date(Date.now() + DAY_MS) },
  });
  for (const name of ['First', 'Second']) students.push(await platform.signUp(name, 'OPS-1'));
  instructor = await platform.signUp('Instructor');
  await db.enrolment.create({ data: { courseId, userId: instructor.userId, role: 'instructor' } });
  admin = await platform.signUp('Admin');
  await db.user.update({ where: { id: admin.userId }, data: { role: 'admin' } });
});

afterAll(async () => {
  await platform?.stop();
});

function submitAs(student: Account): Promise<Response> {
  return platform.request('/api/submissions', { body: { course: courseId, exercise: SLUG, code: files['solution.ts'], kind: 'submit' }, as: student });
}

async function scrape(): Promise<string> {
  const response = await platform.request('/api/metrics', { token: METRICS_TOKEN });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one series in Prometheus text, e.g. `rendezvous_queue_depth{priority="submit"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("a course's rate limits", () => {
  it('an instructor sets them within the site maximum, and a value above it is refused with the maximum named', async () => {
    const tooMany = await platform.request(`/api/courses/${courseId}/rate-limits`, { method: 'PUT', body: { submitsPerUserPerMinute: 11, submitsPerCoursePerMinute: 3 }, as: instructor });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: string }).error).toBe('This site allows at most 10 submissions per student per minute.');

    const saved = await platform.request(`/api/courses/${courseId}/rate-limits`, { method: 'PUT', body: { submitsPerUserPerMinute: 2, submitsPerCoursePerMinute: 3 }, as: instructor });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ effective: { perUser: 2, perCourse: 3 }, maxima: { perUser: 10, perCourse: 8 } });
    const stored = await platform.database.db.course.findUniqueOrThrow({ where: { id: courseId } });
    expect(stored).toMatchObject({ submitsPerUserPerMinute: 2, submitsPerCoursePerMinute: 3 });
  });

  it('a student past their limit, then a classmate past the course limit, are refused with 429, a sentence and Retry-After; nothing is stored', async () => {
    expect((await submitAs(students[0])).status).toBe(202);
    expect((await submitAs(students[0])).status).toBe(202);
    const own = await submitAs(students[0]);
    expect(own.status).toBe(429);
    expect(Number(own.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await own.json()) as { error: string }).error).toMatch(/^Too many submissions in the last minute; try again in \d+ s\.$/);

    expect((await submitAs(students[1])).status).toBe(202);
    const course = await submitAs(students[1]);
    expect(course.status).toBe(429);
    expect(((await course.json()) as { error: string }).error).toMatch(/^This course has had too many submissions in the last minute; try again in \d+ s\.$/);
    expect(await platform.database.db.submission.count()).toBe(3);
  });

  it('the settings page shows the two fields to its instructor and does not exist for a student', async () => {
    const page = await platform.request(`/instructor/courses/${courseId}/settings`, { as: instructor });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Submissions per student per minute');
    expect(html).toContain('Submissions per course per minute');
    expect((await platform.request(`/instructor/courses/${courseId}/settings`, { as: students[0] })).status).toBe(404);
  });
});

describe('metrics', () => {
  it('show the waiting jobs and the age of the oldest per priority while no worker runs, then the verdicts and latencies once graded', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const waiting = await scrape();
    expect(sample(waiting, 'rendezvous_queue_depth{priority="submit"}')).toBe(3);
    expect(sample(waiting, 'rendezvous_queue_depth{priority="visible"}')).toBe(0);
    expect(sample(waiting, 'rendezvous_queue_depth{priority="regrade"}')).toBe(0);
    expect(sample(waiting, 'rendezvous_queue_oldest_job_age_seconds{priority="submit"}')).toBeGreaterThanOrEqual(1);
    expect(sample(waiting, 'rendezvous_workers_live')).toBe(0);
    expect(sample(waiting, 'rendezvous_rate_limit_refusals_total{kind="submit",scope="user"}')).toBe(1);
    expect(sample(waiting, 'rendezvous_rate_limit_refusals_total{kind="submit",scope="course"}')).toBe(1);

    platform.addWorker(1);
    await waitFor('the three submissions to be graded', async () => (await platform.database.db.submission.count({ where: { state: 'graded' } })) === 3);
    const graded = await waitFor('the verdicts to be counted', async () => {
      const text = await scrape();
      return sample(text, 'rendezvous_gradings_total{outcome="graded"}') === 3 && text;
    });
    expect(sample(graded, 'rendezvous_queue_depth{priority="submit"}')).toBe(0);
    expect(sample(graded, 'rendezvous_grading_duration_seconds_count{kind="submit"}')).toBe(3);
    expect(sample(graded, 'rendezvous_submission_latency_seconds_count{kind="submit"}')).toBe(3);
    expect(sample(graded, 'rendezvous_submission_latency_seconds_bucket{kind="submit",le="+Inf"}')).toBe(3);
    expect(sample(graded, 'rendezvous_submission_latency_seconds_bucket{kind="submit",le="0.05"}')).toBe(0);
    // The three waited for the worker at least a second each.
    expect(sample(graded, 'rendezvous_submission_latency_seconds_sum{kind="submit"}')).toBeGreaterThan(3);
    expect(sample(graded, 'rendezvous_workers_live')).toBe(1);
    expect(graded).toContain('# TYPE rendezvous_submission_latency_seconds histogram');
    expect(graded).toContain('# TYPE rendezvous_sandbox_restarts_total counter');
  });

  it("count a sandbox process that a submission brought down, and the grading's outcome", async () => {
    const raised = await platform.request(`/api/courses/${courseId}/rate-limits`, { method: 'PUT', body: { submitsPerUserPerMinute: 10, submitsPerCoursePerMinute: 8 }, as: instructor });
    expect(raised.status).toBe(200);
    // Aborts the whole Node process that hosts the isolate; the sandbox client replaces it.
    const fatal = readFileSync(path.join(__dirname, '..', 'hostile', 'fatal-array-size.ts'), 'utf8');
    const created = await platform.request('/api/submissions', { body: { course: courseId, exercise: SLUG, code: fatal, kind: 'submit' }, as: students[1] });
    expect(created.status).toBe(202);
    // The restart is counted when the child dies, the outcome only once the verdict is written: wait for both.
    const text = await waitFor('the replaced sandbox and its verdict to be counted', async () => {
      const scraped = await scrape();
      return sample(scraped, 'rendezvous_sandbox_restarts_total') === 1 && sample(scraped, 'rendezvous_gradings_total{outcome="memory-limit"}') === 1 && scraped;
    });
    expect(sample(text, 'rendezvous_gradings_total{outcome="graded"}')).toBe(3);
  });

  it('answer an admin, refuse a student as if they did not exist, and ask for sign-in without an account', async () => {
    expect((await platform.request('/api/metrics', { as: admin })).status).toBe(200);
    expect((await platform.request('/api/metrics', { as: students[0] })).status).toBe(404);
    expect((await platform.request('/api/metrics', { as: instructor })).status).toBe(404);
    expect((await platform.request('/api/metrics')).status).toBe(401);
    expect((await platform.request('/api/metrics', { token: 'not-the-metrics-token' })).status).toBe(401);
  });
});

describe('the queue dashboard', () => {
  it('serves bull-board to an admin: its page, its files and the grading queue through its API', async () => {
    const page = await platform.request('/admin/queues', { as: admin });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Rendezvous queues');
    // Its files are named relative to the page's <base href="/admin/queues/">.
    const script = /src="(static\/js\/main[^"]+\.js)"/.exec(html);
    expect(script).not.toBeNull();
    const file = await platform.request(`/admin/queues/${script![1]}`, { as: admin });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/javascript/);

    const api = await platform.request('/admin/queues/api/queues', { as: admin });
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as { queues: { name: string }[] };
    expect(queues.map((queue) => queue.name)).toEqual(['grading']);
  });

  it('does not exist for anyone else, and refuses an admin\'s change sent without our Origin', async () => {
    for (const as of [null, students[0], instructor]) {
      expect((await platform.request('/admin/queues', { as })).status).toBe(404);
      expect((await platform.request('/admin/queues/api/queues', { as })).status).toBe(404);
    }
    const forged = await platform.request('/admin/queues/api/queues/grading/clean/completed', { method: 'PUT', as: admin, origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
  });
});

it("the web app's server build, the dashboard and the metrics included, never loads the grader or isolated-vm", () => {
  const server = path.join(__dirname, '..', '..', process.env.NEXT_DIST_DIR ?? '.next', 'server');
  const files = readdirSync(server, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith('.js'));
  expect(files.length).toBeGreaterThan(10);
  const loading = files.filter((entry) => /isolated-vm|sandbox-client|grader\/grade/.test(readFileSync(path.join(entry.parentPath, entry.name), 'utf8')));
  expect(loading.map((entry) => entry.name)).toEqual([]);
});
