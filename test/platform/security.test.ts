/**
 * Security against the real web app: every route that changes something refuses a cookie sent
 * without our Origin (CSRF), a session id chosen before sign-in is never the signed-in one and
 * sign-out ends a session on the server, and no page, payload, stream or error a student can
 * reach carries a hidden test's source or a message the assignment withholds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readPackageFolder } from '../../grader/exercise';
import { publishExerciseVersion } from '../../lib/exercises';
import { waitFor } from '../support/services';
import { startPlatform, type Account, type TestPlatform } from '../support/web';

jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..', '..');
const SLUG = 'pipe-message';
const files = readPackageFolder(path.join(ROOT, 'exercises', SLUG));
const DAY_MS = 24 * 60 * 60 * 1000;
/** better-auth's session cookie (its default name). */
const SESSION_COOKIE = 'better-auth.session_token';

let platform: TestPlatform;
let courseId: string;
let student: Account;
let instructor: Account;
let admin: Account;

beforeAll(async () => {
  platform = await startPlatform({ workers: 1 });
  const { db } = platform.database;
  const version = await publishExerciseVersion({ slug: SLUG, files }, db);
  const course = await db.course.create({ data: { title: 'Security', joinCode: 'SEC-1' } });
  courseId = course.id;
  // Hidden tests' messages are withheld until the due date, a day from now.
  await db.assignment.create({
    data: {
      courseId, exerciseId: version.exerciseId, exerciseVersionId: version.versionId,
      opensAt: new Date(Date.now() - DAY_MS), dueAt: new Date(Date.now() + DAY_MS), resultVisibility: 'after_due',
    },
  });
  student = await platform.signUp('Student', 'SEC-1');
  instructor = await platform.signUp('Instructor');
  await db.enrolment.create({ data: { courseId, userId: instructor.userId, role: 'instructor' } });
  admin = await platform.signUp('Admin');
  await db.user.update({ where: { id: admin.userId }, data: { role: 'admin' } });
});

afterAll(async () => {
  await platform?.stop();
});

// --- CSRF ---------------------------------------------------------------------------------------

interface MutatingRoute {
  method: string;
  pathname: string;
}

/**
 * A URL path for a route folder: groups dropped, each dynamic segment filled with a sample value
 * (the dashboard's catch-all with a job that does not exist, so the control request changes nothing).
 */
function samplePath(folder: string): string {
  const segments = folder.split(path.sep).filter((segment) => !/^\(.*\)$/.test(segment));
  return `/${segments.map((segment) => (segment === '[[...path]]' ? 'api/queues/grading/sample-id/retry/failed' : segment.startsWith('[') ? 'sample-id' : segment)).join('/')}`;
}

/**
 * Every method other than GET that a route handler under app/ exports, found by reading the
 * files, so that a route added later is tested without anyone listing it here. better-auth's
 * catch-all is left to the sign-out case below.
 */
function mutatingRoutes(): MutatingRoute[] {
  const found: MutatingRoute[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(path.join(ROOT, 'app', folder), { withFileTypes: true })) {
      const relative = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name === 'route.ts' && !folder.includes('[...all]')) {
        const source = readFileSync(path.join(ROOT, 'app', relative), 'utf8');
        const methods = new Set([...source.matchAll(/export const (POST|PUT|PATCH|DELETE)\b|\bas (POST|PUT|PATCH|DELETE)\b/g)].map((match) => match[1] ?? match[2]));
        for (const method of methods) found.push({ method, pathname: samplePath(folder) });
      }
    }
  };
  walk('');
  return found;
}

const ROUTES = mutatingRoutes();

describe('CSRF: a change sent with a session cookie', () => {
  it('finds the mutating routes it checks', () => {
    expect(ROUTES).toEqual(expect.arrayContaining([
      { method: 'POST', pathname: '/api/submissions' },
      { method: 'PUT', pathname: '/api/courses/sample-id/rate-limits' },
      { method: 'DELETE', pathname: '/api/tokens/sample-id' },
    ]));
  });

  describe.each(ROUTES)('$method $pathname', ({ method, pathname }) => {
    it.each([['without an Origin', null], ['from a foreign Origin', 'https://evil.example']])('is refused with 403 %s', async (_, origin) => {
      const response = await platform.request(pathname, { method, rawBody: '{}', as: admin, origin });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: string }).error).toMatch(/did not come from a Rendezvous page/);
    });

    it('is not refused for its Origin when it comes from our own pages, and answers an unknown id or an empty body without failing', async () => {
      const response = await platform.request(pathname, { method, rawBody: '{}', as: admin });
      expect(response.status).not.toBe(403);
      // An admin may reach every route: what an unknown course or an empty body gets is a sentence, never a server error.
      const failure = response.status >= 500 ? `${response.status}: ${await response.text()}` : null;
      expect(failure).toBeNull();
    });
  });

  it("better-auth's sign-out from a foreign Origin is refused and leaves the session signed in", async () => {
    const victim = await platform.signUp('Victim');
    const forged = await platform.request('/api/auth/sign-out', { rawBody: '{}', as: victim, origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    expect((await platform.request('/api/tokens', { as: victim })).status).toBe(200);
  });
});

// --- Session fixation ---------------------------------------------------------------------------

function sessionCookieOf(response: Response): string | undefined {
  return response.headers.getSetCookie().map((line) => line.split(';')[0]).find((pair) => pair.startsWith(`${SESSION_COOKIE}=`));
}

async function signIn(email: string, cookie?: string): Promise<Response> {
  return platform.request('/api/auth/sign-in/email', { body: { email, password: 'correct horse battery' }, as: cookie ? { userId: '', email, cookie } : null });
}

describe('session fixation', () => {
  it('a session id planted before sign-in is not the one the user signs in with, and does not sign the planter in as them', async () => {
    const victim = await platform.signUp('Fixated');
    const attacker = await platform.signUp('Attacker');
    const planted = attacker.cookie;
    const response = await signIn(victim.email, planted);
    expect(response.status).toBe(200);
    const issued = sessionCookieOf(response);
    expect(issued).toBeDefined();
    expect(planted).not.toContain(issued!.split('=')[1]);
    // The planted cookie still belongs to its own owner, never to the victim who signed in with it.
    const asPlanted = await platform.request('/api/auth/get-session', { as: { userId: '', email: '', cookie: planted } });
    expect(((await asPlanted.json()) as { user: { id: string } }).user.id).toBe(attacker.userId);

    const invented = await signIn(victim.email, `${SESSION_COOKIE}=attacker-chosen-value`);
    expect(sessionCookieOf(invented)).not.toContain('attacker-chosen-value');
    expect((await platform.request('/api/tokens', { as: { userId: '', email: '', cookie: `${SESSION_COOKIE}=attacker-chosen-value` } })).status).toBe(401);
  });

  it('sign-out ends the session on the server: the old cookie, replayed, is no longer signed in', async () => {
    const user = await platform.signUp('Leaving');
    expect((await platform.request('/api/tokens', { as: user })).status).toBe(200);
    const sessionsBefore = await platform.database.db.session.count({ where: { userId: user.userId } });
    expect((await platform.request('/api/auth/sign-out', { rawBody: '{}', as: user })).status).toBe(200);
    expect(await platform.database.db.session.count({ where: { userId: user.userId } })).toBe(sessionsBefore - 1);
    expect((await platform.request('/api/tokens', { as: user })).status).toBe(401);
  });
});

// --- Hidden tests never reach a student ---------------------------------------------------------

/** Lines of `text` long enough to be telling, trimmed. */
function tellingLines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line.length >= 20);
}

/** How a text may appear in a body: as is, escaped for HTML (React's escaping), or inside a JSON string. */
function spellings(text: string): string[] {
  const html = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
  return [text, html, JSON.stringify(text).slice(1, -1)];
}

function shows(body: string, text: string): boolean {
  return spellings(text).some((spelling) => body.includes(spelling));
}

interface GradedJson {
  result: { tests: { name: string; visible: boolean; message: string | null }[] } | null;
}

describe('what a student can reach', () => {
  it('carries no hidden test source and none of the messages the assignment withholds, in any page, payload, stream or error', async () => {
    const wrong = files['wrong/parent-keeps-write-end.ts'];
    const ids: string[] = [];
    for (const kind of ['submit', 'visible']) {
      const created = await platform.request('/api/submissions', { body: { course: courseId, exercise: SLUG, code: wrong, kind }, as: student });
      expect(created.status).toBe(202);
      ids.push(((await created.json()) as { id: string }).id);
    }
    await waitFor('both submissions to be graded', async () => (await platform.database.db.submission.count({ where: { id: { in: ids }, state: 'graded' } })) === 2);

    // What the student is allowed to see anyway: the statement, the starter, the visible tests, their own code.
    const shown = [files['statement.md'], files['starter.ts'], files['tests/visible.ts'], wrong].join('\n');
    const staffView = (await (await platform.request(`/api/submissions/${ids[0]}`, { as: instructor })).json()) as GradedJson;
    const visibleMessages = staffView.result!.tests.filter((test) => test.visible).map((test) => test.message ?? '');
    const withheldMessages = staffView.result!.tests
      .filter((test) => !test.visible && test.message && !visibleMessages.includes(test.message))
      .map((test) => test.message!);
    const secretLines = [...tellingLines(files['tests/hidden.ts']), ...tellingLines(files['solution.ts'])].filter((line) => !shown.includes(line));
    // The wrong solution fails hidden tests with messages of their own, so the scan below has something to find.
    expect(withheldMessages.length).toBeGreaterThan(0);
    expect(secretLines.length).toBeGreaterThan(5);

    const exercise = `/courses/${courseId}/exercises/${SLUG}`;
    const pages = ['/courses', `/courses/${courseId}`, exercise, `${exercise}/history`, ...ids.map((id) => `/submissions/${id}`), '/settings/tokens'];
    const reachable: { what: string; response: Promise<Response> }[] = [
      ...pages.map((page) => ({ what: `page ${page}`, response: platform.request(page, { as: student }) })),
      // The React Server Components payload: what the page hands its client components.
      ...pages.map((page) => ({ what: `RSC payload of ${page}`, response: fetch(`${platform.baseUrl}${page}`, { headers: { cookie: student.cookie, rsc: '1' } }) })),
      ...ids.map((id) => ({ what: `GET /api/submissions/${id}`, response: platform.request(`/api/submissions/${id}`, { as: student }) })),
      ...ids.map((id) => ({ what: `the event stream of ${id}`, response: platform.request(`/api/submissions/${id}/events`, { as: student }) })),
      { what: 'the submissions list', response: platform.request(`/api/courses/${courseId}/exercises/${SLUG}/submissions`, { as: student }) },
      { what: 'a 404 page', response: platform.request(`/courses/${courseId}/exercises/no-such-exercise`, { as: student }) },
      { what: 'a 400 answer', response: platform.request('/api/submissions', { rawBody: '{"course": 1}', as: student }) },
      { what: "another course's 404", response: platform.request(`/api/courses/not-a-course/exercises/${SLUG}/submissions`, { as: student }) },
      { what: 'the staff-only settings', response: platform.request(`/api/courses/${courseId}/rate-limits`, { as: student }) },
      { what: 'the metrics', response: platform.request('/api/metrics', { as: student }) },
      { what: 'the queue dashboard', response: platform.request('/admin/queues/api/queues', { as: student }) },
    ];
    let scanned = 0;
    for (const { what, response } of reachable) {
      const body = await (await response).text();
      scanned += body.length;
      for (const secret of [...withheldMessages, ...secretLines]) {
        if (shows(body, secret)) throw new Error(`${what} shows the student "${secret}"`);
      }
    }
    expect(scanned).toBeGreaterThan(10_000);

    // The same scan finds them where they belong: the instructor's view of the same submission.
    const instructorPage = await (await platform.request(`/submissions/${ids[0]}`, { as: instructor })).text();
    expect(withheldMessages.some((message) => shows(instructorPage, message))).toBe(true);
  });
});
