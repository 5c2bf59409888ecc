/**
 * The JSON API of web.md against the real web app (next start), real PostgreSQL, a private Redis
 * and a real grading worker: what a student's browser or script sends, and what comes back.
 */
import path from 'node:path';
import { readPackageFolder } from '../../grader/exercise';
import { publishExerciseVersion } from '../../lib/exercises';
import { waitFor } from '../support/services';
import { readStateEvents, startPlatform, type Account, type TestPlatform } from '../support/web';

jest.setTimeout(180_000);

const PACK = path.join(__dirname, '..', '..', 'exercises');
const DAY_MS = 24 * 60 * 60 * 1000;
const pipeMessage = readPackageFolder(path.join(PACK, 'pipe-message'));
const solution = pipeMessage['solution.ts'];
/** A known deadlock that first yields 1,500 times: its counterexample's trace is longer than a stored result keeps. */
const LONG_DEADLOCK = pipeMessage['wrong/parent-keeps-write-end.ts'].replace(
  'const [readEnd, writeEnd] = await sys.pipe();',
  'for (let i = 0; i < 1500; i++) await sys.yield();\n  const [readEnd, writeEnd] = await sys.pipe();',
);

let platform: TestPlatform;
let courseId: string;
let closedCourseId: string;
let student: Account;

async function courseWith(slug: string, joinCode: string, dueAt: Date): Promise<string> {
  const { db } = platform.database;
  const version = await publishExerciseVersion({ slug, files: readPackageFolder(path.join(PACK, slug)) }, db);
  const course = await db.course.create({ data: { title: `Course ${joinCode}`, joinCode } });
  await db.assignment.create({
    data: { courseId: course.id, exerciseId: version.exerciseId, exerciseVersionId: version.versionId, opensAt: new Date(Date.now() - 30 * DAY_MS), dueAt },
  });
  return course.id;
}

function submission(code = solution, kind = 'submit', course = courseId) {
  return { course, exercise: 'pipe-message', code, kind };
}

async function errorOf(response: Response): Promise<{ status: number; error: string }> {
  const body = (await response.json()) as { error: string };
  return { status: response.status, error: body.error };
}

beforeAll(async () => {
  platform = await startPlatform({ workers: 1 });
  courseId = await courseWith('pipe-message', 'JOIN-OPEN', new Date(Date.now() + 14 * DAY_MS));
  closedCourseId = await courseWith('named-pipe', 'JOIN-CLOSED', new Date(Date.now() - DAY_MS));
  student = await platform.signUp('Student One', 'JOIN-OPEN');
});

afterAll(async () => {
  await platform?.stop();
});

describe('submitting', () => {
  it('a student who signed up with the join code submits and follows the submission on its event stream to graded', async () => {
    const response = await platform.request('/api/submissions', { body: submission(), as: student });
    expect(response.status).toBe(202);
    const { id, state } = (await response.json()) as { id: string; state: string };
    expect(state).toBe('queued');

    const events = await readStateEvents(await platform.request(`/api/submissions/${id}/events`, { as: student }));
    expect(events.at(-1)).toEqual({ state: 'graded', score: expect.any(Number), maxScore: expect.any(Number) });
    expect(events.at(-1)?.score).toBe(events.at(-1)?.maxScore);
    const order = events.map((event) => event.state);
    expect(order).toEqual([...new Set(order)]);

    const graded = (await (await platform.request(`/api/submissions/${id}`, { as: student })).json()) as Record<string, unknown>;
    expect(graded).toMatchObject({ id, course: courseId, exercise: 'pipe-message', kind: 'submit', state: 'graded' });
    expect(graded.gradedAt).toEqual(expect.any(String));
    expect((graded.result as { status: string }).status).toBe('graded');

    const listed = (await (await platform.request(`/api/courses/${courseId}/exercises/pipe-message/submissions`, { as: student })).json()) as { submissions: { id: string }[] };
    expect(listed.submissions.map((s) => s.id)).toContain(id);
  });

  it('an event stream opened after grading sends the final state at once and ends', async () => {
    const { id } = (await (await platform.request('/api/submissions', { body: submission(), as: student })).json()) as { id: string };
    await readStateEvents(await platform.request(`/api/submissions/${id}/events`, { as: student }));
    const again = await readStateEvents(await platform.request(`/api/submissions/${id}/events`, { as: student }));
    expect(again).toEqual([{ state: 'graded', score: expect.any(Number), maxScore: expect.any(Number) }]);
  });

  it('code over 64 KiB is refused with 413 and nothing is stored', async () => {
    const before = await platform.database.db.submission.count();
    const response = await platform.request('/api/submissions', { body: submission(`// ${'x'.repeat(65 * 1024)}\n${solution}`), as: student });
    expect(await errorOf(response)).toEqual({ status: 413, error: expect.stringMatching(/limit is 64 KiB/) });
    expect(await platform.database.db.submission.count()).toBe(before);
  });

  it('a body that is not JSON answers 400', async () => {
    const response = await platform.request('/api/submissions', { rawBody: '{"course": ', as: student });
    expect(await errorOf(response)).toEqual({ status: 400, error: 'The request body is not valid JSON.' });
  });

  it('a body without code answers 400 naming the field', async () => {
    const response = await platform.request('/api/submissions', { body: { course: courseId, exercise: 'pipe-message' }, as: student });
    expect(await errorOf(response)).toEqual({ status: 400, error: expect.stringMatching(/^code: /) });
  });

  it('an unknown exercise or course answers 404', async () => {
    const unknownExercise = await platform.request('/api/submissions', { body: { ...submission(), exercise: 'no-such-exercise' }, as: student });
    expect(await errorOf(unknownExercise)).toEqual({ status: 404, error: expect.stringMatching(/no-such-exercise/) });
    const unknownCourse = await platform.request('/api/submissions', { body: submission(solution, 'submit', 'no-such-course'), as: student });
    expect(unknownCourse.status).toBe(404);
    expect((await platform.request('/api/submissions/no-such-submission', { as: student })).status).toBe(404);
  });

  it('a submission after the due date is refused with a sentence saying when it closed', async () => {
    const late = await platform.signUp('Late Student', 'JOIN-CLOSED');
    const response = await platform.request('/api/submissions', { body: { course: closedCourseId, exercise: 'named-pipe', code: solution, kind: 'submit' }, as: late });
    expect(await errorOf(response)).toEqual({ status: 400, error: expect.stringMatching(/^This exercise closed on \d{4}-\d\d-\d\d \d\d:\d\d UTC; submissions are no longer accepted\.$/) });
  });

  it('a student of another course cannot see or submit to this one', async () => {
    const outsider = await platform.signUp('Outsider', 'JOIN-CLOSED');
    expect((await platform.request('/api/submissions', { body: submission(), as: outsider })).status).toBe(404);
    const { id } = (await (await platform.request('/api/submissions', { body: submission(solution, 'visible'), as: student })).json()) as { id: string };
    expect((await platform.request(`/api/submissions/${id}`, { as: outsider })).status).toBe(404);
    expect((await platform.request(`/api/submissions/${id}/events`, { as: outsider })).status).toBe(404);
  });

  it('without a session or token the API answers 401', async () => {
    expect((await platform.request('/api/submissions', { body: submission() })).status).toBe(401);
    expect((await platform.request('/api/submissions/anything')).status).toBe(401);
  });

  it('a change sent with a cookie but without our Origin is refused with 403, and stores nothing', async () => {
    const before = await platform.database.db.submission.count();
    expect((await platform.request('/api/submissions', { body: submission(), as: student, origin: null })).status).toBe(403);
    expect((await platform.request('/api/submissions', { body: submission(), as: student, origin: 'https://evil.example' })).status).toBe(403);
    expect(await platform.database.db.submission.count()).toBe(before);
  });

  it('the seventh submission within a minute answers 429 with the wait in Retry-After', async () => {
    const eager = await platform.signUp('Eager Student', 'JOIN-OPEN');
    for (let i = 0; i < 6; i++) {
      expect((await platform.request('/api/submissions', { body: submission(), as: eager })).status).toBe(202);
    }
    const refused = await platform.request('/api/submissions', { body: submission(), as: eager });
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect((await refused.json()).error).toMatch(/^Too many submissions in the last minute; try again in \d+ s\.$/);
    // Visible runs are counted apart, with their own allowance.
    expect((await platform.request('/api/submissions', { body: submission(solution, 'visible'), as: eager })).status).toBe(202);
  });
});

describe('accounts', () => {
  it('signing up with an unknown join code is refused and creates no account', async () => {
    const response = await platform.request('/api/auth/sign-up/email', {
      body: { name: 'Nobody', email: 'nobody@rendezvous.test', password: 'correct horse battery', joinCode: 'NO-SUCH-CODE' },
    });
    expect(response.status).toBe(400);
    expect(await platform.database.db.user.findUnique({ where: { email: 'nobody@rendezvous.test' } })).toBeNull();
  });

  it('a wrong password is refused', async () => {
    const response = await platform.request('/api/auth/sign-in/email', { body: { email: student.email, password: 'not the password' } });
    expect(response.status).toBe(401);
  });

  it('a personal token lets a script submit without a cookie or Origin, and only its hash is stored', async () => {
    const created = await platform.request('/api/tokens', { body: { name: 'my script' }, as: student });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const stored = await platform.database.db.apiToken.findFirstOrThrow({ where: { userId: student.userId } });
    expect(stored.tokenHash).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token);

    const response = await platform.request('/api/submissions', { body: submission(solution, 'visible'), token, origin: null });
    expect(response.status).toBe(202);
    expect((await platform.request('/api/submissions', { body: submission(), token: `${token}x` })).status).toBe(401);
  });
});

describe('what students see of hidden tests', () => {
  it('hidden tests keep their message and counterexample from students until the due date when the assignment says so, but not from staff', async () => {
    const { db } = platform.database;
    const wrong = readPackageFolder(path.join(PACK, 'pipe-message'))['wrong/parent-keeps-write-end.ts'];
    const { id } = (await (await platform.request('/api/submissions', { body: submission(wrong), as: student })).json()) as { id: string };
    await readStateEvents(await platform.request(`/api/submissions/${id}/events`, { as: student }));
    await db.assignment.updateMany({ where: { courseId }, data: { resultVisibility: 'after_due' } });
    try {
      type Shown = { result: { tests: { visible: boolean; passed: boolean; message: string | null; counterexample: unknown }[] } };
      const seen = (await (await platform.request(`/api/submissions/${id}`, { as: student })).json()) as Shown;
      const hiddenFailures = seen.result.tests.filter((test) => !test.visible && !test.passed);
      expect(hiddenFailures.length).toBeGreaterThan(0);
      for (const test of hiddenFailures) expect(test).toMatchObject({ message: null, counterexample: null });
      expect(seen.result.tests.some((test) => test.visible && !test.passed && test.message)).toBe(true);

      const instructor = await platform.signUp('Instructor');
      await db.enrolment.create({ data: { courseId, userId: instructor.userId, role: 'instructor' } });
      const staffView = (await (await platform.request(`/api/submissions/${id}`, { as: instructor })).json()) as Shown;
      expect(staffView.result.tests.filter((test) => !test.visible && !test.passed).every((test) => test.message)).toBe(true);
    } finally {
      await db.assignment.updateMany({ where: { courseId }, data: { resultVisibility: 'immediately' } });
    }
  });
});

describe('when a dependency is down', () => {
  it('health answers 503 naming the database while PostgreSQL cannot be reached, and 200 once it is back', async () => {
    expect(await (await platform.request('/api/health')).json()).toEqual({ database: 'ok', redis: 'ok', workers: 1 });
    await platform.databaseProxy.close();
    try {
      const down = await platform.request('/api/health');
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ database: 'unavailable', redis: 'ok', error: 'the database cannot be reached.' });
      const refused = await platform.request('/api/submissions', { body: submission(), as: student });
      expect(refused.status).toBe(503);
    } finally {
      await platform.databaseProxy.open();
    }
    const { id } = (await (await platform.request('/api/submissions', { body: submission(solution, 'visible'), as: student })).json()) as { id: string };
    expect(id).toEqual(expect.any(String));
    expect((await platform.request('/api/health')).status).toBe(200);
  });

  it('health answers 503 naming Redis while Redis is down, and submissions wait rather than vanish', async () => {
    await platform.redis.kill();
    try {
      const down = await platform.request('/api/health');
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ database: 'ok', redis: 'unavailable' });
      expect((await platform.request('/api/submissions', { body: submission(), as: student })).status).toBe(503);
    } finally {
      await platform.redis.restart();
    }
  });
});

describe('whole traces', () => {
  type Counterexample = { trace: unknown[]; traceTrimmed?: number };
  type TraceView = { state: string; counterexample: Counterexample | null; message: string | null };

  it('a stored result keeps the end of a long counterexample, and the worker rebuilds the whole trace when its student asks', async () => {
    const owner = await platform.signUp('Student Trace', 'JOIN-OPEN');
    const { id } = (await (await platform.request('/api/submissions', { body: submission(LONG_DEADLOCK), as: owner })).json()) as { id: string };
    await readStateEvents(await platform.request(`/api/submissions/${id}/events`, { as: owner }));
    const graded = (await (await platform.request(`/api/submissions/${id}`, { as: owner })).json()) as { result: { tests: { name: string; counterexample: Counterexample | null }[] } };
    const stored = graded.result.tests.find((test) => test.name === 'no deadlock')!.counterexample!;
    expect(stored.trace).toHaveLength(1_000);
    expect(stored.traceTrimmed).toBeGreaterThan(500);

    const asked = await platform.request(`/api/submissions/${id}/trace`, { body: { test: 'no deadlock' }, as: owner });
    expect([200, 202]).toContain(asked.status);
    const url = `/api/submissions/${id}/trace?test=${encodeURIComponent('no deadlock')}`;
    const whole = await waitFor('the whole trace to be rebuilt', async () => {
      const view = (await (await platform.request(url, { as: owner })).json()) as TraceView;
      return view.state !== 'queued' && view;
    });
    expect(whole.state).toBe('ready');
    expect(whole.counterexample!.trace).toHaveLength(stored.trace.length + stored.traceTrimmed!);
    expect(whole.counterexample!.trace.slice(-1_000)).toEqual(stored.trace);
  });

  it('a whole trace is refused for a test the submission does not have, and hidden from other students', async () => {
    const owner = await platform.signUp('Student Trace Two', 'JOIN-OPEN');
    const { id } = (await (await platform.request('/api/submissions', { body: submission(LONG_DEADLOCK), as: owner })).json()) as { id: string };
    await readStateEvents(await platform.request(`/api/submissions/${id}/events`, { as: owner }));
    expect((await platform.request(`/api/submissions/${id}/trace`, { body: { test: 'a test nobody wrote' }, as: owner })).status).toBe(404);
    expect((await platform.request(`/api/submissions/${id}/trace`, { body: {}, as: owner })).status).toBe(400);
    const stranger = await platform.signUp('Student Elsewhere', 'JOIN-CLOSED');
    expect((await platform.request(`/api/submissions/${id}/trace`, { body: { test: 'no deadlock' }, as: stranger })).status).toBe(404);
  });
});
