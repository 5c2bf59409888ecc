/**
 * A submission's way in: validated, stored, then queued — so a queue that loses it never loses
 * it for good (the worker's reconciler re-queues what is stored as queued). And its way out: the
 * submission as its viewer may see it, and every student's submissions for the course's staff.
 */
import { z } from 'zod';
import type { GradeResult } from '../grader/grade';
import { authorize, can, roleFromEnrolment, roleIn, type Actor, type EffectiveRole } from './authz';
import { db, type Assignment, type Result, type Submission } from './db';
import { HttpError, notFound } from './errors';
import { formatInstant } from './format';
import { testOutcomes } from './gradebook';
import { windowPhase } from './grade-policy';
import { enqueueGrading } from './queue';
import { takeSubmissionSlot, type CourseRateSettings } from './ratelimit';
import { sharedRedis } from './redis';

/** The largest source a student may submit. */
export const MAX_CODE_BYTES = 64 * 1024;

export const submissionInputSchema = z.object({
  course: z.string().min(1, 'name the course'),
  exercise: z.string().min(1, 'name the exercise'),
  code: z.string(),
  kind: z.enum(['submit', 'visible']).default('submit'),
});
export type SubmissionInput = z.infer<typeof submissionInputSchema>;

/**
 * The assignment of `slug` in `courseId` that `actor` may see, with the actor's role there: one
 * query reads the course's limits, the actor's enrolment and the assignment (a submission's every
 * round trip is paid at deadline time). A course the actor may not view is not found, as authorize() says.
 */
async function visibleAssignment(actor: Actor, courseId: string, slug: string): Promise<{ assignment: Assignment & { course: CourseRateSettings }; role: EffectiveRole }> {
  const course = await db.course.findUnique({
    where: { id: courseId },
    select: {
      submitsPerUserPerMinute: true,
      submitsPerCoursePerMinute: true,
      enrolments: { where: { userId: actor.userId }, select: { role: true } },
      assignments: { where: { exercise: { slug } } },
    },
  });
  const role = roleFromEnrolment(actor, course?.enrolments[0]);
  if (!course || role === null || !can(role, 'course.view')) throw notFound('That course');
  const [assignment] = course.assignments;
  if (!assignment) throw notFound(`The exercise '${slug}' in this course`);
  const settings = { submitsPerUserPerMinute: course.submitsPerUserPerMinute, submitsPerCoursePerMinute: course.submitsPerCoursePerMinute };
  return { assignment: { ...assignment, course: settings }, role };
}

export async function createSubmission(actor: Actor, input: SubmissionInput): Promise<{ id: string; state: 'queued' }> {
  if (Buffer.byteLength(input.code) > MAX_CODE_BYTES) {
    throw new HttpError(413, `Your code is ${Math.ceil(Buffer.byteLength(input.code) / 1024)} KiB; the limit is ${MAX_CODE_BYTES / 1024} KiB.`);
  }
  const { assignment, role } = await visibleAssignment(actor, input.course, input.exercise);
  if (!can(role, 'submission.create')) throw notFound(`The exercise '${input.exercise}' in this course`);
  const phase = windowPhase(assignment, new Date());
  if (phase === 'upcoming') throw new HttpError(400, `This exercise opens on ${formatInstant(assignment.opensAt)}.`);
  // Visible runs do not count, so students may keep practising after the due date. Late work is taken until the hard deadline, if the late policy sets one.
  if (input.kind === 'submit' && phase === 'closed') {
    throw new HttpError(400, `This exercise closed on ${formatInstant(assignment.hardDeadlineAt ?? assignment.dueAt)}; submissions are no longer accepted.`);
  }
  const slot = await takeSubmissionSlot(sharedRedis(), { userId: actor.userId, courseId: input.course, kind: input.kind, settings: assignment.course });
  if (!slot.allowed) {
    const what = input.kind === 'submit' ? 'submissions' : 'visible-test runs';
    const whose = slot.scope === 'user' ? `Too many ${what} in the last minute` : 'This course has had too many submissions in the last minute';
    throw new HttpError(429, `${whose}; try again in ${slot.retryAfterSeconds} s.`, { 'Retry-After': String(slot.retryAfterSeconds) });
  }
  const submission = await db.submission.create({
    data: {
      userId: actor.userId,
      assignmentId: assignment.id,
      exerciseVersionId: assignment.exerciseVersionId,
      code: input.code,
      kind: input.kind,
      // Set with the row, before the job exists, so a worker never sees a queued submission without it.
      queuedAt: new Date(),
    },
  });
  try {
    await enqueueGrading(submission.id, input.kind);
  } catch (error) {
    // Stored is enough: the workers' reconciler queues stored submissions the queue does not hold.
    console.error(`submission ${submission.id} stored but not queued yet: ${(error as Error).message}`);
  }
  return { id: submission.id, state: 'queued' };
}

/** Whether a student may see hidden tests' messages and counterexamples yet. */
function hiddenDetailsShown(assignment: Assignment, now: Date): boolean {
  switch (assignment.resultVisibility) {
    case 'immediately':
      return true;
    case 'after_due':
      return assignment.dueAt < now;
    case 'released':
      return assignment.releasedAt !== null && assignment.releasedAt < now;
  }
}

function withheld(grade: GradeResult): GradeResult {
  return { ...grade, tests: grade.tests.map((test) => (test.visible ? test : { ...test, message: null, counterexample: null })) };
}

type SubmissionWithContext = Submission & { result: Result | null; assignment: Assignment & { exercise: { slug: string } } };

/** web.md's JSON of a submission, as `role` may see it. */
export function submissionJson(submission: SubmissionWithContext, role: EffectiveRole, now = new Date()) {
  const grade = (submission.result?.grade ?? null) as GradeResult | null;
  const staff = can(role, 'submission.viewOthers');
  const shown = grade && !staff && !hiddenDetailsShown(submission.assignment, now) ? withheld(grade) : grade;
  return {
    id: submission.id,
    course: submission.assignment.courseId,
    exercise: submission.assignment.exercise.slug,
    kind: submission.kind,
    state: submission.state,
    user: submission.userId,
    createdAt: submission.createdAt.toISOString(),
    gradedAt: submission.gradedAt?.toISOString() ?? null,
    score: submission.result?.score ?? null,
    maxScore: submission.result?.maxScore ?? null,
    code: submission.code,
    result: shown,
  };
}

const withContext = { result: true, assignment: { include: { exercise: { select: { slug: true } } } } } as const;

/** A submission and the viewer's role in its course; its owner, or staff of its course, may see it. */
export async function findVisibleSubmission(actor: Actor, id: string): Promise<{ submission: SubmissionWithContext; role: EffectiveRole }> {
  const submission = await db.submission.findUnique({ where: { id }, include: withContext });
  if (!submission) throw notFound('That submission');
  const role = await roleIn(actor, submission.assignment.courseId);
  const own = submission.userId === actor.userId && can(role, 'submission.viewOwn');
  if (role === null || !(own || can(role, 'submission.viewOthers'))) throw notFound('That submission');
  return { submission, role };
}

/** The caller's submissions to one exercise (or a student's, for staff), newest first. */
export async function listSubmissions(actor: Actor, courseId: string, slug: string, studentId?: string) {
  const { assignment, role } = await visibleAssignment(actor, courseId, slug);
  if (studentId && studentId !== actor.userId && !can(role, 'submission.viewOthers')) throw notFound('That student');
  const submissions = await db.submission.findMany({
    where: { assignmentId: assignment.id, userId: studentId ?? actor.userId },
    include: withContext,
    orderBy: { createdAt: 'desc' },
  });
  return submissions.map((submission) => submissionJson(submission, role));
}

/** The actor's newest submission to an assignment, as they may see it: the exercise page opens with it. */
export async function latestOwnSubmission(actor: Actor, assignmentId: string, role: EffectiveRole) {
  const submission = await db.submission.findFirst({ where: { assignmentId, userId: actor.userId }, include: withContext, orderBy: { createdAt: 'desc' } });
  return submission ? submissionJson(submission, role) : null;
}

// --- The submission inspector: every student's submissions to a course, for its staff -----------

export const inspectorFilterSchema = z.object({
  student: z.string().min(1).optional(),
  exercise: z.string().min(1).optional(),
  /** Only submissions whose result fails the test of this name. */
  failed: z.string().min(1).optional(),
});
export type InspectorFilter = z.infer<typeof inspectorFilterSchema>;

/** How many submissions the inspector lists at once, newest first. */
const INSPECTOR_LIMIT = 200;

export interface InspectedSubmission {
  id: string;
  student: { id: string; name: string; email: string };
  exercise: string;
  createdAt: Date;
  state: string;
  score: number | null;
  maxScore: number | null;
  failedTests: string[];
}

export interface Inspector {
  courseTitle: string;
  students: { id: string; name: string; email: string }[];
  exercises: string[];
  /** Every test name any graded submission of the course has, for the filter. */
  tests: string[];
  submissions: InspectedSubmission[];
}

export async function inspectSubmissions(actor: Actor, courseId: string, filter: InspectorFilter): Promise<Inspector> {
  await authorize(actor, courseId, 'submission.viewOthers');
  const course = await db.course.findUniqueOrThrow({
    where: { id: courseId },
    select: {
      title: true,
      enrolments: { where: { role: 'student' }, select: { user: { select: { id: true, name: true, email: true } } } },
      assignments: { select: { exercise: { select: { slug: true } } } },
    },
  });
  const failing = filter.failed
    ? await db.$queryRaw<{ submissionId: string }[]>`
        SELECT r."submissionId" FROM result r
        JOIN submission s ON s.id = r."submissionId" JOIN assignment a ON a.id = s."assignmentId"
        WHERE a."courseId" = ${courseId}
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(r.grade->'tests') t WHERE t->>'name' = ${filter.failed} AND NOT (t->>'passed')::boolean)`
    : null;
  const submissions = await db.submission.findMany({
    where: {
      assignment: { courseId, ...(filter.exercise ? { exercise: { slug: filter.exercise } } : {}) },
      kind: 'submit',
      ...(filter.student ? { userId: filter.student } : {}),
      ...(failing ? { id: { in: failing.map((row) => row.submissionId) } } : {}),
    },
    select: {
      id: true, createdAt: true, state: true,
      user: { select: { id: true, name: true, email: true } },
      assignment: { select: { exercise: { select: { slug: true } } } },
      result: { select: { score: true, maxScore: true } },
    },
    orderBy: { createdAt: 'desc' },
    take: INSPECTOR_LIMIT,
  });
  const outcomes = await testOutcomes(submissions.map((submission) => submission.id));
  const tests = await db.$queryRaw<{ name: string }[]>`
    SELECT DISTINCT t->>'name' AS name FROM result r
    JOIN submission s ON s.id = r."submissionId" JOIN assignment a ON a.id = s."assignmentId",
    jsonb_array_elements(r.grade->'tests') t
    WHERE a."courseId" = ${courseId} ORDER BY name`;
  return {
    courseTitle: course.title,
    students: course.enrolments.map((enrolment) => enrolment.user).sort((a, b) => a.name.localeCompare(b.name)),
    exercises: course.assignments.map((assignment) => assignment.exercise.slug).sort(),
    tests: tests.map((row) => row.name),
    submissions: submissions.map((submission) => ({
      id: submission.id,
      student: submission.user,
      exercise: submission.assignment.exercise.slug,
      createdAt: submission.createdAt,
      state: submission.state,
      score: submission.result?.score ?? null,
      maxScore: submission.result?.maxScore ?? null,
      failedTests: outcomes.filter((outcome) => outcome.submissionId === submission.id && !outcome.passed).map((outcome) => outcome.name),
    })),
  };
}
