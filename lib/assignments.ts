/**
 * What a student sees of a course's assignments: the table of the course page, and the exercise
 * page's statement, starter code and draft. Only the files a student may read leave the database.
 */
import { exerciseDefaults, exerciseMetadataSchema } from '../grader/exercise';
import type { RunRequest } from '../grader/harness';
import { resolveLimits } from '../grader/job';
import { can, roleIn, type Actor, type EffectiveRole } from './authz';
import { db } from './db';
import { notFound } from './errors';

export type AssignmentStatus = 'not started' | 'attempted' | 'solved';

export interface AssignmentRow {
  slug: string;
  title: string;
  opensAt: Date;
  dueAt: Date;
  status: AssignmentStatus;
  /** The best graded score among the student's submissions (visible runs do not count). */
  bestScore: number | null;
  maxScore: number | null;
}

async function requireCourseRole(actor: Actor, courseId: string): Promise<EffectiveRole> {
  const role = await roleIn(actor, courseId);
  if (role === null || !can(role, 'course.view')) throw notFound('That course');
  return role;
}

export async function courseWithAssignments(actor: Actor, courseId: string): Promise<{ title: string; role: EffectiveRole; rows: AssignmentRow[] }> {
  const role = await requireCourseRole(actor, courseId);
  const course = await db.course.findUniqueOrThrow({
    where: { id: courseId },
    include: {
      assignments: {
        include: {
          exercise: { select: { slug: true, title: true } },
          submissions: { where: { userId: actor.userId }, select: { kind: true, result: { select: { status: true, score: true, maxScore: true } } } },
        },
        orderBy: [{ dueAt: 'asc' }, { exercise: { title: 'asc' } }],
      },
    },
  });
  const rows = course.assignments.map((assignment): AssignmentRow => {
    const graded = assignment.submissions.filter((s) => s.kind === 'submit' && s.result?.status === 'graded').map((s) => s.result!);
    const best = graded.reduce<(typeof graded)[number] | null>((top, result) => (top === null || result.score > top.score ? result : top), null);
    const solved = best !== null && best.maxScore > 0 && best.score >= best.maxScore;
    return {
      slug: assignment.exercise.slug,
      title: assignment.exercise.title,
      opensAt: assignment.opensAt,
      dueAt: assignment.dueAt,
      status: solved ? 'solved' : assignment.submissions.length > 0 ? 'attempted' : 'not started',
      bestScore: best?.score ?? null,
      maxScore: best?.maxScore ?? null,
    };
  });
  return { title: course.title, role, rows };
}

/** The files of a package a student may read; tests and solutions never leave the database. */
const STUDENT_FILES = ['statement.md', 'starter.ts', 'starter.js'];

export interface ExerciseWorkspace {
  assignmentId: string;
  courseTitle: string;
  title: string;
  statement: string;
  starter: string;
  draft: string | null;
  dueAt: Date;
  role: EffectiveRole;
  /** What the Run panel runs the editor's code with: the exercise's programs and kernel settings (no test's inputs), and its CPU limit. */
  browserRun: { run: RunRequest; cpuMs: number } | null;
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
  return { run: exerciseDefaults(metadata.data), cpuMs: resolveLimits(metadata.data.limits).cpuMs };
}

export async function exerciseWorkspace(actor: Actor, courseId: string, slug: string): Promise<ExerciseWorkspace> {
  const role = await requireCourseRole(actor, courseId);
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
    courseTitle: assignment.course.title,
    title: assignment.exerciseVersion.title,
    statement: file('statement.md') ?? '',
    starter: file('starter.ts') ?? file('starter.js') ?? '',
    draft: assignment.drafts[0]?.code ?? null,
    dueAt: assignment.dueAt,
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
