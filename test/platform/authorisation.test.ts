/**
 * The authorisation matrix: every actor × every route of the API, against the real web app. The
 * expected answers come from lib/authz.ts's table, the one every handler consults, so the table
 * and the routes cannot drift apart: anything not allowed answers 404 (401 without an account).
 */
import { zipSync, strToU8 } from 'fflate';
import path from 'node:path';
import { readPackageFolder } from '../../grader/exercise';
import { starterPackage } from '../../lib/authoring';
import { can, PERMISSIONS, type Action, type EffectiveRole } from '../../lib/authz';
import { publishExerciseVersion } from '../../lib/exercises';
import { startPlatform, type Account, type TestPlatform } from '../support/web';

jest.setTimeout(180_000);

const EXERCISE = 'pipe-message';
const code = readPackageFolder(path.join(__dirname, '..', '..', 'exercises', EXERCISE))['solution.ts'];

type ActorName = 'anonymous' | 'owner' | 'classmate' | 'outsider' | 'ta' | 'instructor' | 'otherInstructor' | 'admin';
const ACTORS: ActorName[] = ['anonymous', 'owner', 'classmate', 'outsider', 'ta', 'instructor', 'otherInstructor', 'admin'];

/** Each actor's role in the course under test (the owner and classmate are both its students). */
const ROLE: Record<ActorName, EffectiveRole | null> = {
  anonymous: null, owner: 'student', classmate: 'student', outsider: null, ta: 'ta', instructor: 'instructor', otherInstructor: null, admin: 'admin',
};

/** Each actor's role as an author of new exercises (lib/authz.ts authoringRole): instructors of any course, and admins. */
const AUTHOR_ROLE: Record<ActorName, EffectiveRole | null> = {
  anonymous: null, owner: null, classmate: null, outsider: null, ta: null, instructor: 'instructor', otherInstructor: 'instructor', admin: 'admin',
};

let platform: TestPlatform;
let courseId: string;
let ownersSubmission: string;
/** The owner's graded submission whose stored counterexample was trimmed, so its whole trace may be asked for. */
let ownersTrimmedSubmission: string;
let regradeId: string;
/** Invited as staff by those allowed to invite: an account of its own, so no actor's role changes. */
let spare: Account;
let draftRun: string;
const accounts = {} as Record<Exclude<ActorName, 'anonymous'>, Account>;

beforeAll(async () => {
  platform = await startPlatform();
  const { db } = platform.database;
  const version = await publishExerciseVersion({ slug: EXERCISE, files: readPackageFolder(path.join(__dirname, '..', '..', 'exercises', EXERCISE)) }, db);
  const day = 24 * 60 * 60 * 1000;
  const course = await db.course.create({ data: { title: 'IPC', joinCode: 'MATRIX' } });
  const other = await db.course.create({ data: { title: 'Other', joinCode: 'ELSEWHERE' } });
  courseId = course.id;
  await db.assignment.create({
    data: { courseId, exerciseId: version.exerciseId, exerciseVersionId: version.versionId, opensAt: new Date(Date.now() - day), dueAt: new Date(Date.now() + day) },
  });
  accounts.owner = await platform.signUp('Owner', 'MATRIX');
  accounts.classmate = await platform.signUp('Classmate', 'MATRIX');
  accounts.outsider = await platform.signUp('Outsider', other.joinCode);
  for (const role of ['ta', 'instructor'] as const) {
    accounts[role] = await platform.signUp(role);
    await db.enrolment.create({ data: { courseId, userId: accounts[role].userId, role } });
  }
  accounts.admin = await platform.signUp('Admin');
  await db.user.update({ where: { id: accounts.admin.userId }, data: { role: 'admin' } });
  accounts.otherInstructor = await platform.signUp('Other instructor');
  await db.enrolment.create({ data: { courseId: other.id, userId: accounts.otherInstructor.userId, role: 'instructor' } });

  // The course's instructor drafts a change to its exercise and validates it (no worker: it stays queued).
  await platform.request(`/api/exercises/${EXERCISE}/draft`, { method: 'PUT', body: { files: readPackageFolder(path.join(__dirname, '..', '..', 'exercises', EXERCISE)) }, as: accounts.instructor });
  const validation = await platform.request(`/api/exercises/${EXERCISE}/validate`, { method: 'POST', as: accounts.instructor });
  draftRun = ((await validation.json()) as { id: string }).id;

  spare = await platform.signUp('Spare');

  const created = await platform.request('/api/submissions', { body: { course: courseId, exercise: EXERCISE, code, kind: 'visible' }, as: accounts.owner });
  ownersSubmission = ((await created.json()) as { id: string }).id;
  ownersTrimmedSubmission = await storeGradedWithTrimmedTrace(ownersSubmission);
  const assignment = await db.assignment.findFirstOrThrow({ where: { courseId } });
  regradeId = (await db.regrade.create({ data: { assignmentId: assignment.id, fromVersionId: version.versionId, toVersionId: version.versionId, total: 0, finishedAt: new Date() } })).id;
});

/** A copy of `submissionId` stored as graded, one test failed with a counterexample whose trace was trimmed. */
async function storeGradedWithTrimmedTrace(submissionId: string): Promise<string> {
  const { db } = platform.database;
  const { userId, assignmentId, exerciseVersionId, code: source, kind } = await db.submission.findUniqueOrThrow({ where: { id: submissionId } });
  const counterexample = { seed: 1, strategy: 'rr', decisions: [], trace: [], traceDropped: 0, traceTrimmed: 10, races: [] };
  const grade = { status: 'graded', message: null, score: 0, maxScore: 1, durationMs: 1, phases: {}, runs: 1,
    tests: [{ name: 'no deadlock', weight: 1, visible: true, passed: false, score: 0, message: 'deadlock', counterexample, properties: [], runs: 1 }] };
  const submission = await db.submission.create({
    data: { userId, assignmentId, exerciseVersionId, code: source, kind, state: 'graded', gradedAt: new Date(), result: { create: { status: 'graded', score: 0, maxScore: 1, grade, durationMs: 1 } } },
  });
  return submission.id;
}

let assignedExercises = 0;

/** A newly published exercise for each allowed Assign, since a course assigns an exercise once. */
async function freshExercise(): Promise<string> {
  const slug = `matrix-${++assignedExercises}`;
  await publishExerciseVersion({ slug, files: readPackageFolder(path.join(__dirname, '..', '..', 'exercises', EXERCISE)) }, platform.database.db);
  return slug;
}

afterAll(async () => {
  await platform?.stop();
});

function account(actor: ActorName): Account | null {
  return actor === 'anonymous' ? null : accounts[actor];
}

/** What the table says an actor gets: `success` when allowed, else 401 without an account, 404 with one. */
function expected(actor: ActorName, allowed: boolean, success: number): number {
  if (actor === 'anonymous') return 401;
  return allowed ? success : 404;
}

function allowedBy(actor: ActorName, action: Action): boolean {
  return can(ROLE[actor], action);
}

/** Own things need only the "own" permission; anyone else's need the "others" one. */
function mayViewOwnersWork(actor: ActorName): boolean {
  return actor === 'owner' ? allowedBy(actor, 'submission.viewOwn') : allowedBy(actor, 'submission.viewOthers');
}

/** Editing the course's exercise: its instructors and admins (lib/authz.ts exerciseRole). */
function mayEditExercise(actor: ActorName): boolean {
  return allowedBy(actor, 'exercise.edit');
}

function mayAuthor(actor: ActorName): boolean {
  return can(AUTHOR_ROLE[actor], 'exercise.create');
}

/** A fresh slug per call, so each actor's creation is a creation. */
let fresh = 0;
const freshSlug = () => `matrix-new-${++fresh}`;

function importZip(as: Account | null): Promise<Response> {
  const slug = freshSlug();
  const entries = Object.fromEntries(Object.entries(starterPackage()).map(([file, content]) => [`${slug}/${file}`, strToU8(content)]));
  return fetch(`${platform.baseUrl}/api/exercise-packages`, {
    method: 'POST',
    headers: { origin: platform.baseUrl, 'content-type': 'application/zip', ...(as ? { cookie: as.cookie } : {}) },
    body: Buffer.from(zipSync(entries)),
  });
}

interface RouteCase {
  route: string;
  call(as: Account | null): Promise<Response>;
  allowed(actor: ActorName): boolean;
  success: number;
}

const ROUTES: RouteCase[] = [
  {
    route: 'POST /api/submissions',
    call: (as) => platform.request('/api/submissions', { body: { course: courseId, exercise: EXERCISE, code, kind: 'visible' }, as }),
    allowed: (actor) => allowedBy(actor, 'submission.create'),
    success: 202,
  },
  {
    route: "GET /api/submissions/<the owner's>",
    call: (as) => platform.request(`/api/submissions/${ownersSubmission}`, { as }),
    allowed: mayViewOwnersWork,
    success: 200,
  },
  {
    route: "GET /api/submissions/<the owner's>/events",
    call: async (as) => {
      const response = await platform.request(`/api/submissions/${ownersSubmission}/events`, { as });
      // No worker runs here, so an allowed stream stays open: its status is all this test needs.
      await response.body?.cancel();
      return response;
    },
    allowed: mayViewOwnersWork,
    success: 200,
  },
  {
    route: "POST /api/submissions/<the owner's>/trace",
    call: (as) => platform.request(`/api/submissions/${ownersTrimmedSubmission}/trace`, { body: { test: 'no deadlock' }, as }),
    allowed: mayViewOwnersWork,
    // No worker runs here: the rebuilding stays queued.
    success: 202,
  },
  {
    route: "GET /api/submissions/<the owner's>/trace",
    call: (as) => platform.request(`/api/submissions/${ownersTrimmedSubmission}/trace?test=${encodeURIComponent('no deadlock')}`, { as }),
    allowed: mayViewOwnersWork,
    success: 200,
  },
  {
    route: 'GET /api/courses/<course>/exercises/<slug>/submissions',
    call: (as) => platform.request(`/api/courses/${courseId}/exercises/${EXERCISE}/submissions`, { as }),
    allowed: (actor) => allowedBy(actor, 'course.view'),
    success: 200,
  },
  {
    route: "GET /api/courses/<course>/exercises/<slug>/submissions?student=<the owner>",
    call: (as) => platform.request(`/api/courses/${courseId}/exercises/${EXERCISE}/submissions?student=${accounts.owner.userId}`, { as }),
    allowed: mayViewOwnersWork,
    success: 200,
  },
  {
    route: 'GET /api/courses/<course>/rate-limits',
    call: (as) => platform.request(`/api/courses/${courseId}/rate-limits`, { as }),
    allowed: (actor) => allowedBy(actor, 'course.configure'),
    success: 200,
  },
  {
    route: 'PUT /api/courses/<course>/rate-limits',
    call: (as) => platform.request(`/api/courses/${courseId}/rate-limits`, { method: 'PUT', body: { submitsPerUserPerMinute: 6, submitsPerCoursePerMinute: null }, as }),
    allowed: (actor) => allowedBy(actor, 'course.configure'),
    success: 200,
  },
  {
    route: 'GET /api/metrics',
    call: (as) => platform.request('/api/metrics', { as }),
    allowed: (actor) => allowedBy(actor, 'site.operate'),
    success: 200,
  },
  {
    route: 'POST /api/courses/<course>/assignments',
    call: async (as) => platform.request(`/api/courses/${courseId}/assignments`, { body: { exercise: await freshExercise(), dueAt: new Date(Date.now() + 86_400_000).toISOString() }, as }),
    allowed: (actor) => allowedBy(actor, 'assignment.manage'),
    success: 201,
  },
  {
    // No counted submission exists, so each allowed regrade finishes at once and the next is not refused.
    route: 'POST /api/courses/<course>/assignments/<slug>/regrade',
    call: (as) => platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/regrade`, { method: 'POST', as }),
    allowed: (actor) => allowedBy(actor, 'assignment.regrade'),
    success: 202,
  },
  {
    route: 'GET /api/regrades/<id>',
    call: (as) => platform.request(`/api/regrades/${regradeId}`, { as }),
    allowed: (actor) => allowedBy(actor, 'regrade.view'),
    success: 200,
  },
  {
    route: 'POST /api/courses/<course>/assignments/<slug>/release',
    call: (as) => platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/release`, { method: 'POST', as }),
    allowed: (actor) => allowedBy(actor, 'assignment.manage'),
    success: 200,
  },
  {
    // The window the assignment was made with, so every allowed call leaves students' submissions open.
    route: 'POST /api/courses/<course>/assignments/<slug>/dates',
    call: (as) => platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/dates`, {
      body: { opensAt: new Date(Date.now() - 86_400_000).toISOString(), dueAt: new Date(Date.now() + 86_400_000).toISOString(), latePenaltyPerDay: 0, hardDeadlineAt: null },
      as,
    }),
    allowed: (actor) => allowedBy(actor, 'assignment.manage'),
    success: 200,
  },
  {
    route: 'POST /api/courses/<course>/assignments/<slug>/override',
    call: (as) => platform.request(`/api/courses/${courseId}/assignments/${EXERCISE}/override`, { body: { student: accounts.owner.userId, score: 5, reason: 'matrix' }, as }),
    allowed: (actor) => allowedBy(actor, 'grade.override'),
    success: 200,
  },
  {
    route: 'GET /api/courses/<course>/gradebook.csv',
    call: (as) => platform.request(`/api/courses/${courseId}/gradebook.csv`, { as }),
    allowed: (actor) => allowedBy(actor, 'gradebook.view'),
    success: 200,
  },
  {
    route: 'POST /api/courses/<course>/staff',
    call: (as) => platform.request(`/api/courses/${courseId}/staff`, { body: { email: spare.email, role: 'ta' }, as }),
    allowed: (actor) => allowedBy(actor, 'staff.manage'),
    success: 201,
  },
  {
    route: 'POST /api/courses/<course>/join-code',
    call: (as) => platform.request(`/api/courses/${courseId}/join-code`, { method: 'POST', as }),
    allowed: (actor) => allowedBy(actor, 'staff.manage'),
    success: 200,
  },
  {
    route: 'PUT /api/exercises/<new slug>/draft',
    call: (as) => platform.request(`/api/exercises/${freshSlug()}/draft`, { method: 'PUT', body: { files: starterPackage() }, as }),
    allowed: mayAuthor,
    success: 200,
  },
  {
    route: "PUT /api/exercises/<the course's exercise>/draft",
    call: (as) => platform.request(`/api/exercises/${EXERCISE}/draft`, { method: 'PUT', body: { files: readPackageFolder(path.join(__dirname, '..', '..', 'exercises', EXERCISE)) }, as }),
    allowed: mayEditExercise,
    success: 200,
  },
  {
    route: "POST /api/exercises/<the course's exercise>/validate",
    call: (as) => platform.request(`/api/exercises/${EXERCISE}/validate`, { method: 'POST', as }),
    allowed: mayEditExercise,
    success: 202,
  },
  {
    route: "POST /api/exercises/<the course's exercise>/try",
    call: (as) => platform.request(`/api/exercises/${EXERCISE}/try`, { body: { file: 'solution.ts' }, as }),
    allowed: mayEditExercise,
    success: 202,
  },
  {
    route: "POST /api/exercises/<the course's exercise>/publish (not validated: refused)",
    call: (as) => platform.request(`/api/exercises/${EXERCISE}/publish`, { method: 'POST', as }),
    allowed: mayEditExercise,
    success: 409,
  },
  {
    route: "GET /api/exercises/<the course's exercise>/export",
    call: (as) => platform.request(`/api/exercises/${EXERCISE}/export`, { as }),
    allowed: mayEditExercise,
    success: 200,
  },
  {
    route: 'POST /api/exercise-packages (import)',
    call: importZip,
    allowed: mayAuthor,
    success: 201,
  },
  {
    route: "GET /api/draft-runs/<the instructor's validation>",
    call: (as) => platform.request(`/api/draft-runs/${draftRun}`, { as }),
    allowed: mayEditExercise,
    success: 200,
  },
  {
    route: "GET /api/draft-runs/<the instructor's validation>/events",
    call: async (as) => {
      const response = await platform.request(`/api/draft-runs/${draftRun}/events`, { as });
      await response.body?.cancel();
      return response;
    },
    allowed: mayEditExercise,
    success: 200,
  },
  {
    route: 'POST /api/tokens',
    call: (as) => platform.request('/api/tokens', { body: { name: 'matrix' }, as }),
    allowed: () => true,
    success: 201,
  },
  {
    route: 'GET /api/tokens',
    call: (as) => platform.request('/api/tokens', { as }),
    allowed: () => true,
    success: 200,
  },
];

describe.each(ROUTES)('$route', ({ call, allowed, success }) => {
  it.each(ACTORS)('answers %s as the authorisation table says', async (actor) => {
    const response = await call(account(actor));
    expect(response.status).toBe(expected(actor, allowed(actor), success));
  });
});

interface PageCase {
  page: string;
  path(): string;
  allowed(actor: ActorName): boolean;
  /** What a visitor without an account gets: the sign-in page (a redirect), or 404 where the page hides that it exists. */
  anonymous: number;
}

/** Pages answer 200 when the table allows and 404 when it does not. */
const PAGES: PageCase[] = [
  { page: '/instructor/exercises/new', path: () => '/instructor/exercises/new', allowed: mayAuthor, anonymous: 307 },
  { page: '/instructor/exercises/<slug>/edit', path: () => `/instructor/exercises/${EXERCISE}/edit`, allowed: mayEditExercise, anonymous: 307 },
  { page: '/instructor', path: () => '/instructor', allowed: () => true, anonymous: 307 },
  { page: '/instructor/courses/<course>', path: () => `/instructor/courses/${courseId}`, allowed: (actor) => allowedBy(actor, 'course.teach'), anonymous: 307 },
  { page: '/instructor/courses/<course>/gradebook', path: () => `/instructor/courses/${courseId}/gradebook`, allowed: (actor) => allowedBy(actor, 'gradebook.view'), anonymous: 307 },
  { page: '/instructor/courses/<course>/submissions', path: () => `/instructor/courses/${courseId}/submissions`, allowed: (actor) => allowedBy(actor, 'submission.viewOthers'), anonymous: 307 },
  // Exercises belong to no course: staff here or elsewhere read their versions; the outsider is a student elsewhere.
  { page: '/instructor/exercises/<slug>', path: () => `/instructor/exercises/${EXERCISE}`, allowed: (actor) => allowedBy(actor, 'exercise.viewVersions') || can(AUTHOR_ROLE[actor], 'exercise.viewVersions'), anonymous: 307 },
  {
    page: '/instructor/courses/<course>/settings',
    path: () => `/instructor/courses/${courseId}/settings`,
    allowed: (actor) => allowedBy(actor, 'course.configure'),
    anonymous: 307,
  },
  { page: '/admin/queues', path: () => '/admin/queues', allowed: (actor) => allowedBy(actor, 'site.operate'), anonymous: 404 },
  { page: '/admin/queues/api/queues (its API)', path: () => '/admin/queues/api/queues', allowed: (actor) => allowedBy(actor, 'site.operate'), anonymous: 404 },
];

describe.each(PAGES)('page $page', ({ path: pagePath, allowed, anonymous }) => {
  it.each(ACTORS)('answers %s as the authorisation table says', async (actor) => {
    const response = await platform.request(pagePath(), { as: account(actor) });
    await response.body?.cancel();
    expect(response.status).toBe(actor === 'anonymous' ? anonymous : allowed(actor) ? 200 : 404);
  });
});

describe('routes open to everyone', () => {
  it.each(ACTORS)('GET /api/health answers %s with 200', async (actor) => {
    expect((await platform.request('/api/health', { as: account(actor) })).status).toBe(200);
  });
});

it('the table gives staff every permission a student has', () => {
  for (const roles of Object.values(PERMISSIONS)) {
    if (roles.includes('student')) expect(roles).toEqual(expect.arrayContaining(['ta', 'instructor', 'admin']));
  }
});

it("the table keeps web.md's rule: a student sees no one else's submissions", () => {
  expect(can('student', 'submission.viewOthers')).toBe(false);
  expect(can(null, 'course.view')).toBe(false);
});
