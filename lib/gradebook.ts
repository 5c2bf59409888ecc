/**
 * The gradebook of a course: students × assignments, each cell the score that counts under the
 * assignment's policy (lib/grade-policy.ts) or an instructor's override; the CSV export of it;
 * and what the charts draw (score distribution, pass rate of each test).
 */
import { authorize, type Actor } from './authz';
import { recordAudit } from './audit';
import { csvDocument, type CsvValue } from './csv';
import { db } from './db';
import { HttpError, notFound } from './errors';
import { countedScore, type Counting } from './grade-policy';

export interface GradebookAssignment {
  id: string;
  slug: string;
  title: string;
  counting: Counting;
  dueAt: Date;
}

export interface GradebookStudent {
  id: string;
  email: string;
  name: string;
}

export interface GradebookCell {
  /** Null when the student has no graded submission and no override. */
  score: number | null;
  maxScore: number | null;
  daysLate: number;
  /** The override's reason, when an instructor set the score. */
  override: string | null;
  /** The submission that counts, for the link to it. */
  submissionId: string | null;
}

export interface TestPassRate {
  test: string;
  passed: number;
  total: number;
  visible: boolean;
}

export interface Gradebook {
  courseTitle: string;
  assignments: GradebookAssignment[];
  students: GradebookStudent[];
  /** cells[studentId][assignmentId] */
  cells: Record<string, Record<string, GradebookCell>>;
  /** Per assignment id, each test's pass rate among the submissions that count, most failed first. */
  passRates: Record<string, TestPassRate[]>;
}

const EMPTY_CELL: GradebookCell = { score: null, maxScore: null, daysLate: 0, override: null, submissionId: null };

/** Each test's name and outcome in the given submissions' results. */
export async function testOutcomes(submissionIds: string[]): Promise<{ submissionId: string; name: string; passed: boolean; visible: boolean }[]> {
  if (submissionIds.length === 0) return [];
  // Only each test's name and outcome leave the database: counterexamples' traces stay there.
  return db.$queryRaw`
    SELECT r."submissionId", t->>'name' AS name, (t->>'passed')::boolean AS passed, (t->>'visible')::boolean AS visible
    FROM result r, jsonb_array_elements(r.grade->'tests') t
    WHERE r."submissionId" = ANY(${submissionIds}::text[])`;
}

function passRatesOf(outcomes: { name: string; passed: boolean; visible: boolean }[]): TestPassRate[] {
  const byTest = new Map<string, TestPassRate>();
  for (const outcome of outcomes) {
    const rate = byTest.get(outcome.name) ?? { test: outcome.name, passed: 0, total: 0, visible: outcome.visible };
    rate.total += 1;
    if (outcome.passed) rate.passed += 1;
    byTest.set(outcome.name, rate);
  }
  return [...byTest.values()].sort((a, b) => a.passed / a.total - b.passed / b.total || a.test.localeCompare(b.test));
}

export async function courseGradebook(actor: Actor, courseId: string): Promise<Gradebook> {
  await authorize(actor, courseId, 'gradebook.view');
  const course = await db.course.findUniqueOrThrow({
    where: { id: courseId },
    include: {
      enrolments: { where: { role: 'student' }, include: { user: { select: { id: true, email: true, name: true } } } },
      assignments: {
        include: {
          exercise: { select: { slug: true, title: true } },
          overrides: true,
          submissions: {
            where: { kind: 'submit', state: 'graded' },
            select: { id: true, userId: true, createdAt: true, result: { select: { score: true, maxScore: true } } },
          },
        },
        orderBy: [{ dueAt: 'asc' }, { exercise: { slug: 'asc' } }],
      },
    },
  });
  const students = course.enrolments.map((enrolment) => enrolment.user).sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
  const cells: Gradebook['cells'] = Object.fromEntries(students.map((student) => [student.id, {}]));
  const countedByAssignment = new Map<string, string[]>();
  for (const assignment of course.assignments) {
    const counted: string[] = [];
    for (const student of students) {
      const attempts = assignment.submissions
        .filter((submission) => submission.userId === student.id && submission.result)
        .map((submission) => ({ id: submission.id, createdAt: submission.createdAt, score: submission.result!.score, maxScore: submission.result!.maxScore }));
      const score = countedScore(attempts, assignment);
      const submissionId = score ? attempts.find((attempt) => attempt.createdAt === score.createdAt)!.id : null;
      if (submissionId) counted.push(submissionId);
      const override = assignment.overrides.find((entry) => entry.studentId === student.id);
      cells[student.id][assignment.id] = {
        score: override?.score ?? score?.score ?? null,
        maxScore: score?.maxScore ?? null,
        daysLate: override ? 0 : (score?.daysLate ?? 0),
        override: override?.reason ?? null,
        submissionId,
      };
    }
    countedByAssignment.set(assignment.id, counted);
  }
  const outcomes = await testOutcomes([...countedByAssignment.values()].flat());
  const passRates = Object.fromEntries(
    course.assignments.map((assignment) => {
      const counted = new Set(countedByAssignment.get(assignment.id));
      return [assignment.id, passRatesOf(outcomes.filter((outcome) => counted.has(outcome.submissionId)))];
    }),
  );
  return {
    courseTitle: course.title,
    assignments: course.assignments.map((assignment) => ({
      id: assignment.id, slug: assignment.exercise.slug, title: assignment.exercise.title, counting: assignment.counting, dueAt: assignment.dueAt,
    })),
    students,
    cells,
    passRates,
  };
}

export function gradebookCell(gradebook: Gradebook, studentId: string, assignmentId: string): GradebookCell {
  return gradebook.cells[studentId]?.[assignmentId] ?? EMPTY_CELL;
}

/** web.md's CSV: one row per student, `email`, `name`, then the counted score of each assignment by slug (empty when none). */
export async function gradebookCsv(actor: Actor, courseId: string): Promise<string> {
  const gradebook = await courseGradebook(actor, courseId);
  const header: CsvValue[] = ['email', 'name', ...gradebook.assignments.map((assignment) => assignment.slug)];
  const rows = gradebook.students.map((student): CsvValue[] => [
    student.email,
    student.name,
    ...gradebook.assignments.map((assignment) => gradebookCell(gradebook, student.id, assignment.id).score),
  ]);
  return csvDocument([header, ...rows]);
}

export interface GradeOverrideInput {
  student: string;
  score: number;
  reason: string;
}

/** Sets a student's grade on an assignment by hand; the reason goes to the audit log with it. */
export async function overrideGrade(actor: Actor, courseId: string, slug: string, input: GradeOverrideInput): Promise<void> {
  await authorize(actor, courseId, 'grade.override');
  const assignment = await db.assignment.findFirst({ where: { courseId, exercise: { slug } }, select: { id: true } });
  if (!assignment) throw notFound(`The assignment '${slug}' in this course`);
  const enrolment = await db.enrolment.findUnique({ where: { courseId_userId: { courseId, userId: input.student } } });
  if (enrolment?.role !== 'student') throw notFound('That student');
  if (input.score < 0) throw new HttpError(400, 'A score cannot be negative.');
  await db.$transaction(async (tx) => {
    const previous = await tx.gradeOverride.findUnique({ where: { assignmentId_studentId: { assignmentId: assignment.id, studentId: input.student } } });
    await tx.gradeOverride.upsert({
      where: { assignmentId_studentId: { assignmentId: assignment.id, studentId: input.student } },
      create: { assignmentId: assignment.id, studentId: input.student, score: input.score, reason: input.reason, actorId: actor.userId },
      update: { score: input.score, reason: input.reason, actorId: actor.userId },
    });
    await recordAudit({
      actorId: actor.userId,
      courseId,
      action: 'grade.override',
      subject: assignment.id,
      reason: input.reason,
      details: { slug, student: input.student, score: input.score, previous: previous?.score ?? null },
    }, tx);
  });
}
