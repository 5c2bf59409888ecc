/**
 * A course's assignments. What a student sees: the table of the course page, and the exercise
 * page's statement, starter code and draft (only the files a student may read leave the
 * database). What its staff sees and does: the assignments with their policies, assigning an
 * exercise, changing an assignment's dates and late policy, releasing held-back results.
 */
import { z } from 'zod';
import { exerciseLaunch, exerciseMetadataSchema } from '../common/package';
import type { RunRequest } from '../grader/harness';
import { resolveLimits } from '../common/job';
import { FIRST_HOST } from '../kernel/types';
import { recordAudit } from './audit';
import { authorize, type Actor, type EffectiveRole } from './authz';
import { db, type Counting, type ResultVisibility } from './db';
import { HttpError, notFound } from './errors';
import { countedScore, type SubmissionWindow } from './grade-policy';

export type AssignmentStatus = 'not started' | 'attempted' | 'solved';

export interface AssignmentRow {
  slug: string;
  title: string;
  opensAt: Date;
  dueAt: Date;
  hardDeadlineAt: Date | null;
  latePenaltyPerDay: number;
  status: AssignmentStatus;
  /** The score that counts, as the gradebook has it: best or last per the policy, after the late penalty, or the instructor's override (visible runs do not count). */
  score: number | null;
  maxScore: number | null;
}

export async function courseWithAssignments(actor: Actor, courseId: string): Promise<{ title: string; role: EffectiveRole; rows: AssignmentRow[] }> {
  const role = await authorize(actor, courseId, 'course.view');
  const course = await db.course.findUniqueOrThrow({
    where: { id: courseId },
    include: {
      assignments: {
        include: {
          exercise: { select: { slug: true, title: true } },
          submissions: { where: { userId: actor.userId }, select: { kind: true, createdAt: true, result: { select: { status: true, score: true, maxScore: true } } } },
          overrides: { where: { studentId: actor.userId }, select: { score: true } },
        },
        orderBy: [{ dueAt: 'asc' }, { exercise: { title: 'asc' } }],
      },
    },
  });
  const rows = course.assignments.map((assignment): AssignmentRow => {
    const graded = assignment.submissions
      // As the gradebook counts: every verdict on the student's code (a compile error too), not the platform's failures.
      .filter((s) => s.kind === 'submit' && s.result && s.result.status !== 'internal-error')
      .map((s) => ({ createdAt: s.createdAt, score: s.result!.score, maxScore: s.result!.maxScore }));
    const counted = countedScore(graded, assignment);
    const solved = graded.some((result) => result.maxScore > 0 && result.score >= result.maxScore);
    return {
      slug: assignment.exercise.slug,
      title: assignment.exercise.title,
      opensAt: assignment.opensAt,
      dueAt: assignment.dueAt,
      hardDeadlineAt: assignment.hardDeadlineAt,
      latePenaltyPerDay: assignment.latePenaltyPerDay,
      status: solved ? 'solved' : assignment.submissions.length > 0 ? 'attempted' : 'not started',
      score: assignment.overrides[0]?.score ?? counted?.score ?? null,
      maxScore: counted?.maxScore ?? null,
    };
  });
  return { title: course.title, role, rows };
}

/** The files of a package a student may read; tests and solutions never leave the database. */
const STUDENT_FILES = ['statement.md', 'starter.ts', 'starter.js'];

/** The Run panel's starting point: the exercise's launch and settings, its CPU limit, and the exports and hosts a student may start programs on. */
export interface BrowserRun {
  run: RunRequest;
  cpuMs: number;
  entries: string[];
  hosts: string[];
}

export interface ExerciseWorkspace {
  assignmentId: string;
  /** The version assigned: published versions never change, so what is rendered of one may be kept. */
  exerciseVersionId: string;
  courseTitle: string;
  title: string;
  statement: string;
  starter: string;
  draft: string | null;
  /** When submissions are taken, and the late penalty between the due date and the hard deadline. */
  window: SubmissionWindow & { latePenaltyPerDay: number };
  role: EffectiveRole;
  /** What the Run panel runs the editor's code with: the exercise's launch and kernel settings, its CPU limit, and the entries and hosts a student may start programs on. */
  browserRun: BrowserRun | null;
}

/** The Run panel's settings from `exercise.json`, read on the server: only the kernel's settings reach the page. */
function browserRunOf(exerciseJson: string | undefined): ExerciseWorkspace['browserRun'] {
  if (exerciseJson === undefined) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(exerciseJson);
  } catch {
    return null;
  }
  const metadata = exerciseMetadataSchema.safeParse(raw);
  if (!metadata.success) return null;
  return {
    run: exerciseLaunch(metadata.data), cpuMs: resolveLimits(metadata.data.limits).cpuMs,
    entries: metadata.data.entries, hosts: [FIRST_HOST, ...metadata.data.hosts],
  };
}

export async function exerciseWorkspace(actor: Actor, courseId: string, slug: string): Promise<ExerciseWorkspace> {
  const role = await authorize(actor, courseId, 'course.view');
  const assignment = await db.assignment.findFirst({
    where: { courseId, exercise: { slug } },
    include: {
      course: { select: { title: true } },
      exerciseVersion: { select: { title: true, files: { where: { path: { in: [...STUDENT_FILES, 'exercise.json'] } }, select: { path: true, content: true } } } },
      drafts: { where: { userId: actor.userId }, select: { code: true } },
    },
  });
  if (!assignment) throw notFound(`The exercise '${slug}' in this course`);
  const file = (path: string) => assignment.exerciseVersion.files.find((f) => f.path === path)?.content;
  return {
    assignmentId: assignment.id,
    exerciseVersionId: assignment.exerciseVersionId,
    courseTitle: assignment.course.title,
    title: assignment.exerciseVersion.title,
    statement: file('statement.md') ?? '',
    starter: file('starter.ts') ?? file('starter.js') ?? '',
    draft: assignment.drafts[0]?.code ?? null,
    window: { opensAt: assignment.opensAt, dueAt: assignment.dueAt, hardDeadlineAt: assignment.hardDeadlineAt, latePenaltyPerDay: assignment.latePenaltyPerDay },
    role,
    browserRun: browserRunOf(file('exercise.json')),
  };
}

export async function saveDraft(actor: Actor, courseId: string, slug: string, code: string): Promise<{ savedAt: Date }> {
  const workspace = await exerciseWorkspace(actor, courseId, slug);
  const draft = await db.draft.upsert({
    where: { userId_assignmentId: { userId: actor.userId, assignmentId: workspace.assignmentId } },
    create: { userId: actor.userId, assignmentId: workspace.assignmentId, code },
    update: { code },
  });
  return { savedAt: draft.updatedAt };
}

// --- The staff's side: a course's assignments, assigning an exercise, releasing results -------

export interface StaffAssignmentRow {
  id: string;
  slug: string;
  title: string;
  versionNumber: number;
  newestVersionNumber: number;
  opensAt: Date;
  dueAt: Date;
  latePenaltyPerDay: number;
  hardDeadlineAt: Date | null;
  counting: Counting;
  resultVisibility: ResultVisibility;
  releasedAt: Date | null;
  /** Counted submissions (not visible-test runs) so far, and how many students made them. */
  submissions: number;
  submitters: number;
}

export interface StaffCourse {
  title: string;
  joinCode: string;
  role: EffectiveRole;
  assignments: StaffAssignmentRow[];
  /** Published exercises not assigned yet, for the Assign exercise form. */
  assignable: { slug: string; title: string; newestVersionNumber: number }[];
}

export async function courseForStaff(actor: Actor, courseId: string): Promise<StaffCourse> {
  const role = await authorize(actor, courseId, 'course.teach');
  const course = await db.course.findUniqueOrThrow({
    where: { id: courseId },
    include: {
      assignments: {
        include: {
          exercise: { select: { slug: true, title: true, versions: { select: { number: true }, orderBy: { number: 'desc' }, take: 1 } } },
          exerciseVersion: { select: { number: true } },
        },
        orderBy: [{ dueAt: 'asc' }, { exercise: { slug: 'asc' } }],
      },
    },
  });
  const counts = await db.submission.groupBy({ by: ['assignmentId', 'userId'], where: { assignment: { courseId }, kind: 'submit' }, _count: { _all: true } });
  const assigned = new Set(course.assignments.map((assignment) => assignment.exerciseId));
  const exercises = await db.exercise.findMany({
    where: { versions: { some: {} } },
    select: { id: true, slug: true, title: true, versions: { select: { number: true }, orderBy: { number: 'desc' }, take: 1 } },
    orderBy: { title: 'asc' },
  });
  return {
    title: course.title,
    joinCode: course.joinCode,
    role,
    assignments: course.assignments.map((assignment) => {
      const mine = counts.filter((count) => count.assignmentId === assignment.id);
      return {
        id: assignment.id,
        slug: assignment.exercise.slug,
        title: assignment.exercise.title,
        versionNumber: assignment.exerciseVersion.number,
        newestVersionNumber: assignment.exercise.versions[0]?.number ?? assignment.exerciseVersion.number,
        opensAt: assignment.opensAt,
        dueAt: assignment.dueAt,
        latePenaltyPerDay: assignment.latePenaltyPerDay,
        hardDeadlineAt: assignment.hardDeadlineAt,
        counting: assignment.counting,
        resultVisibility: assignment.resultVisibility,
        releasedAt: assignment.releasedAt,
        submissions: mine.reduce((sum, count) => sum + count._count._all, 0),
        submitters: mine.length,
      };
    }),
    assignable: exercises
      .filter((exercise) => !assigned.has(exercise.id))
      .map((exercise) => ({ slug: exercise.slug, title: exercise.title, newestVersionNumber: exercise.versions[0].number })),
  };
}

const instant = z.iso.datetime({ offset: true, message: 'give a date and time (ISO 8601)' }).transform((text) => new Date(text));

export const assignmentInputSchema = z
  .object({
    exercise: z.string().min(1, 'choose an exercise'),
    /** Absent: open now. */
    opensAt: instant.optional(),
    dueAt: instant,
    latePenaltyPerDay: z.number().min(0, 'a late penalty cannot be negative').max(100, 'a late penalty is at most 100% a day').default(0),
    hardDeadlineAt: instant.nullable().optional(),
    counting: z.enum(['best', 'last']).default('best'),
    resultVisibility: z.enum(['immediately', 'after_due', 'released']).default('immediately'),
  })
  .refine((input) => input.dueAt > (input.opensAt ?? new Date()), { message: 'the due date must come after the opening', path: ['dueAt'] })
  .refine((input) => !input.hardDeadlineAt || input.hardDeadlineAt >= input.dueAt, { message: 'the hard deadline cannot come before the due date', path: ['hardDeadlineAt'] });
export type AssignmentInput = z.infer<typeof assignmentInputSchema>;

/** Assigns the newest published version of an exercise to the course. */
export async function assignExercise(actor: Actor, courseId: string, input: AssignmentInput): Promise<{ id: string; slug: string; versionNumber: number }> {
  await authorize(actor, courseId, 'assignment.manage');
  const exercise = await db.exercise.findUnique({
    where: { slug: input.exercise },
    select: { id: true, versions: { select: { id: true, number: true }, orderBy: { number: 'desc' }, take: 1 } },
  });
  const newest = exercise?.versions[0];
  if (!exercise || !newest) throw notFound(`A published exercise '${input.exercise}'`);
  if (await db.assignment.findUnique({ where: { courseId_exerciseId: { courseId, exerciseId: exercise.id } } })) {
    throw new HttpError(409, `'${input.exercise}' is already assigned in this course.`);
  }
  const assignment = await db.assignment.create({
    data: {
      courseId,
      exerciseId: exercise.id,
      exerciseVersionId: newest.id,
      opensAt: input.opensAt ?? new Date(),
      dueAt: input.dueAt,
      latePenaltyPerDay: input.latePenaltyPerDay,
      hardDeadlineAt: input.hardDeadlineAt ?? null,
      counting: input.counting,
      resultVisibility: input.resultVisibility,
    },
  });
  return { id: assignment.id, slug: input.exercise, versionNumber: newest.number };
}

export const assignmentDatesSchema = z
  .object({
    opensAt: instant,
    dueAt: instant,
    latePenaltyPerDay: z.number().min(0, 'a late penalty cannot be negative').max(100, 'a late penalty is at most 100% a day'),
    hardDeadlineAt: instant.nullable(),
  })
  .refine((input) => input.dueAt > input.opensAt, { message: 'the due date must come after the opening', path: ['dueAt'] })
  .refine((input) => !input.hardDeadlineAt || input.hardDeadlineAt >= input.dueAt, { message: 'the hard deadline cannot come before the due date', path: ['hardDeadlineAt'] });
export type AssignmentDates = z.infer<typeof assignmentDatesSchema>;

/**
 * Moves an assignment's opening, due date, late penalty or hard deadline. Scores follow at once
 * (the gradebook counts lateness from the stored dates), so the change is audited with the dates
 * before and after.
 */
export async function rescheduleAssignment(actor: Actor, courseId: string, slug: string, dates: AssignmentDates): Promise<AssignmentDates> {
  await authorize(actor, courseId, 'assignment.manage');
  const assignment = await db.assignment.findFirst({
    where: { courseId, exercise: { slug } },
    select: { id: true, opensAt: true, dueAt: true, latePenaltyPerDay: true, hardDeadlineAt: true },
  });
  if (!assignment) throw notFound(`The assignment '${slug}' in this course`);
  const { id, ...before } = assignment;
  return db.$transaction(async (tx) => {
    const after = await tx.assignment.update({
      where: { id },
      data: dates,
      select: { opensAt: true, dueAt: true, latePenaltyPerDay: true, hardDeadlineAt: true },
    });
    await recordAudit({ actorId: actor.userId, courseId, action: 'assignment.reschedule', subject: id, details: { slug, before: datesJson(before), after: datesJson(after) } }, tx);
    return after;
  });
}

function datesJson(dates: AssignmentDates) {
  return { ...dates, opensAt: dates.opensAt.toISOString(), dueAt: dates.dueAt.toISOString(), hardDeadlineAt: dates.hardDeadlineAt?.toISOString() ?? null };
}

/** Shows students the hidden tests' messages of an assignment whose results wait for release. */
export async function releaseResults(actor: Actor, courseId: string, slug: string): Promise<{ releasedAt: Date }> {
  await authorize(actor, courseId, 'assignment.manage');
  const assignment = await db.assignment.findFirst({ where: { courseId, exercise: { slug } }, select: { id: true, releasedAt: true } });
  if (!assignment) throw notFound(`The assignment '${slug}' in this course`);
  if (assignment.releasedAt) return { releasedAt: assignment.releasedAt };
  return db.$transaction(async (tx) => {
    const released = await tx.assignment.update({ where: { id: assignment.id }, data: { releasedAt: new Date() } });
    await recordAudit({ actorId: actor.userId, courseId, action: 'results.release', subject: assignment.id, details: { slug } }, tx);
    return { releasedAt: released.releasedAt! };
  });
}
