/**
 * Regrades: every counted submission of an assignment graded again against the exercise's newest
 * version, at low priority, through the grading worker.
 *
 * Starting one (an instructor's request) moves the assignment to the newest version, so new
 * submissions are graded against it, and stores one RegradeItem per graded submission, with the
 * score it had, before queueing them; a second request while one runs is refused. Each item's
 * verdict is stored once whatever retries happen (guarded on its state, like a submission's), and
 * the transaction that stores the last one replaces the submissions' results with the new
 * verdicts, so the gradebook changes all at once.
 */
import type { GradeResult } from '../grader/grade';
import { recordAudit } from './audit';
import { authorize, can, canAnywhere, roleIn, type Actor } from './authz';
import { db, Prisma, type PrismaClient } from './db';
import { HttpError, notFound } from './errors';
import { countedScore, type GradedAttempt } from './grade-policy';
import { enqueueRegrade, GRADING_ATTEMPTS } from './queue';

export async function startRegrade(actor: Actor, courseId: string, slug: string): Promise<{ id: string }> {
  await authorize(actor, courseId, 'assignment.regrade');
  const assignment = await db.assignment.findFirst({
    where: { courseId, exercise: { slug } },
    select: { id: true, exerciseVersionId: true, exercise: { select: { versions: { select: { id: true, number: true }, orderBy: { number: 'desc' }, take: 1 } } } },
  });
  if (!assignment) throw notFound(`The assignment '${slug}' in this course`);
  const newest = assignment.exercise.versions[0];
  const regrade = await db.$transaction(async (tx) => {
    // The assignment's row lock queues concurrent requests, so the second sees the first's regrade.
    await tx.$queryRaw`SELECT id FROM assignment WHERE id = ${assignment.id} FOR UPDATE`;
    const running = await tx.regrade.findFirst({ where: { assignmentId: assignment.id, finishedAt: null } });
    if (running) {
      throw new HttpError(409, `A regrade of '${slug}' is already running (${running.done} of ${running.total} submissions regraded); wait for it to finish before starting another.`);
    }
    const submissions = await tx.submission.findMany({
      where: { assignmentId: assignment.id, kind: 'submit', state: 'graded', result: { isNot: null } },
      select: { id: true, result: { select: { score: true, maxScore: true } } },
      orderBy: { createdAt: 'asc' },
    });
    const created = await tx.regrade.create({
      data: {
        assignmentId: assignment.id,
        fromVersionId: assignment.exerciseVersionId,
        toVersionId: newest.id,
        requestedById: actor.userId,
        total: submissions.length,
        finishedAt: submissions.length === 0 ? new Date() : null,
        items: { create: submissions.map((submission) => ({ submissionId: submission.id, beforeScore: submission.result!.score, beforeMaxScore: submission.result!.maxScore })) },
      },
      include: { items: { select: { id: true } } },
    });
    await tx.assignment.update({ where: { id: assignment.id }, data: { exerciseVersionId: newest.id } });
    // Submissions still waiting for a worker are not in the regrade: they are graded against the new version instead.
    await tx.submission.updateMany({ where: { assignmentId: assignment.id, state: 'queued' }, data: { exerciseVersionId: newest.id } });
    await recordAudit({
      actorId: actor.userId,
      courseId,
      action: 'assignment.regrade',
      subject: assignment.id,
      details: { slug, regrade: created.id, fromVersion: assignment.exerciseVersionId, toVersion: newest.id, toVersionNumber: newest.number, submissions: submissions.length },
    }, tx);
    return created;
  });
  for (const item of regrade.items) {
    try {
      await enqueueRegrade(item.id);
    } catch (error) {
      // Stored is enough: the workers' reconciler queues stored items the queue does not hold.
      console.error(`regrade item ${item.id} stored but not queued yet: ${(error as Error).message}`);
    }
  }
  return { id: regrade.id };
}

export interface RegradeChange {
  student: string;
  before: number | null;
  after: number | null;
  tests: string[];
}

export interface RegradeProgress {
  id: string;
  assignment: string;
  done: number;
  total: number;
  finished: boolean;
  changes: RegradeChange[];
}

/**
 * web.md's progress of a regrade. Per student whose regraded submissions are all done, the score
 * that counts under the assignment's policy before and after, and the tests whose outcome changed
 * in any of their submissions; students with neither a new score nor a changed test are left out.
 */
export async function regradeProgress(actor: Actor, regradeId: string): Promise<RegradeProgress> {
  const regrade = await db.regrade.findUnique({
    where: { id: regradeId },
    include: {
      assignment: { select: { courseId: true, dueAt: true, counting: true, latePenaltyPerDay: true, exercise: { select: { slug: true } } } },
      items: { include: { submission: { select: { createdAt: true, user: { select: { email: true } } } } } },
    },
  });
  const role = regrade ? await roleIn(actor, regrade.assignment.courseId) : null;
  if (!regrade || !can(role, 'regrade.view')) throw notFound('That regrade');
  const byStudent = new Map<string, typeof regrade.items>();
  for (const item of regrade.items) byStudent.set(item.submission.user.email, [...(byStudent.get(item.submission.user.email) ?? []), item]);
  const changes: RegradeChange[] = [];
  for (const [student, items] of [...byStudent].sort(([a], [b]) => a.localeCompare(b))) {
    if (items.some((item) => item.state === 'queued' || item.state === 'running')) continue;
    const before = items.map((item): GradedAttempt => ({ createdAt: item.submission.createdAt, score: item.beforeScore, maxScore: item.beforeMaxScore }));
    const after = items.map((item): GradedAttempt =>
      item.state === 'graded' ? { createdAt: item.submission.createdAt, score: item.score!, maxScore: item.maxScore! } : { createdAt: item.submission.createdAt, score: item.beforeScore, maxScore: item.beforeMaxScore },
    );
    const tests = [...new Set(items.flatMap((item) => item.changedTests))].sort();
    const scoreBefore = countedScore(before, regrade.assignment)?.score ?? null;
    const scoreAfter = countedScore(after, regrade.assignment)?.score ?? null;
    if (scoreBefore !== scoreAfter || tests.length > 0) changes.push({ student, before: scoreBefore, after: scoreAfter, tests });
  }
  return { id: regrade.id, assignment: regrade.assignment.exercise.slug, done: regrade.done, total: regrade.total, finished: regrade.finishedAt !== null, changes };
}

// --- The exercise's page: its versions and, per assignment of it, the regrade --------------------

export interface ExerciseAssignment {
  courseId: string;
  courseTitle: string;
  slug: string;
  versionNumber: number;
  mayRegrade: boolean;
  latestRegrade: { id: string; done: number; total: number; finished: boolean } | null;
}

export interface ExerciseOverview {
  slug: string;
  title: string;
  versions: { number: number; title: string; publishedAt: Date }[];
  assignments: ExerciseAssignment[];
}

/** The published versions of an exercise (404 before the first) and its assignments in the courses the actor teaches. */
export async function exerciseOverview(actor: Actor, slug: string): Promise<ExerciseOverview> {
  if (!(await canAnywhere(actor, 'exercise.viewVersions'))) throw notFound(`The exercise '${slug}'`);
  const exercise = await db.exercise.findUnique({
    where: { slug },
    include: {
      versions: { select: { number: true, title: true, publishedAt: true }, orderBy: { number: 'desc' } },
      assignments: {
        include: {
          course: { select: { title: true } },
          exerciseVersion: { select: { number: true } },
          regrades: { orderBy: { createdAt: 'desc' }, take: 1 },
        },
        orderBy: { course: { title: 'asc' } },
      },
    },
  });
  if (!exercise || exercise.versions.length === 0) throw notFound(`The exercise '${slug}'`);
  const assignments: ExerciseAssignment[] = [];
  for (const assignment of exercise.assignments) {
    const role = await roleIn(actor, assignment.courseId);
    if (!can(role, 'course.teach')) continue;
    const regrade = assignment.regrades[0];
    assignments.push({
      courseId: assignment.courseId,
      courseTitle: assignment.course.title,
      slug,
      versionNumber: assignment.exerciseVersion.number,
      mayRegrade: can(role, 'assignment.regrade'),
      latestRegrade: regrade ? { id: regrade.id, done: regrade.done, total: regrade.total, finished: regrade.finishedAt !== null } : null,
    });
  }
  return { slug, title: exercise.title, versions: exercise.versions, assignments };
}

// --- The worker's side ------------------------------------------------------------------------

export interface ClaimedRegradeItem {
  code: string;
  versionId: string;
  attempts: number;
}

/** Marks the item running for this attempt, or answers why there is nothing to grade (as a submission's claim does). */
export async function claimRegradeItem(itemId: string, client: PrismaClient = db): Promise<ClaimedRegradeItem | 'missing' | 'final' | 'attempts-spent'> {
  const item = await client.regradeItem.findUnique({
    where: { id: itemId },
    select: { state: true, attempts: true, submission: { select: { code: true } }, regrade: { select: { toVersionId: true } } },
  });
  if (!item) return 'missing';
  if (item.state === 'graded' || item.state === 'error') return 'final';
  if (item.attempts >= GRADING_ATTEMPTS) return 'attempts-spent';
  const { count } = await client.regradeItem.updateMany({ where: { id: itemId, state: { in: ['queued', 'running'] } }, data: { state: 'running', attempts: { increment: 1 } } });
  if (count === 0) return 'final';
  return { code: item.submission.code, versionId: item.regrade.toVersionId, attempts: item.attempts + 1 };
}

/** The tests whose outcome (passed or not) differs, and tests only one of the two results has. */
function changedTests(before: GradeResult | null, after: GradeResult): string[] {
  const outcome = (result: GradeResult | null) => new Map((result?.tests ?? []).map((test) => [test.name, test.passed]));
  const old = outcome(before);
  const fresh = outcome(after);
  const names = new Set([...old.keys(), ...fresh.keys()]);
  return [...names].filter((name) => old.get(name) !== fresh.get(name)).sort();
}

/**
 * Stores an item's verdict (`error`: the platform gave up; the submission keeps its result). False
 * when another attempt stored one first. The regrade's row is updated under its lock in the same
 * transaction, so exactly one transaction stores the last verdict, and that one finishes the regrade.
 */
export async function storeRegradeVerdict(itemId: string, grade: GradeResult, state: 'graded' | 'error', client: PrismaClient = db): Promise<boolean> {
  return client.$transaction(async (tx) => {
    const item = await tx.regradeItem.findUniqueOrThrow({ where: { id: itemId }, select: { regradeId: true, submission: { select: { result: { select: { grade: true } } } } } });
    const { count } = await tx.regradeItem.updateMany({
      where: { id: itemId, state: { in: ['queued', 'running'] } },
      data: {
        state,
        status: grade.status,
        score: grade.score,
        maxScore: grade.maxScore,
        grade: grade as unknown as Prisma.InputJsonValue,
        durationMs: Math.round(grade.durationMs),
        changedTests: state === 'graded' ? changedTests((item.submission.result?.grade ?? null) as GradeResult | null, grade) : [],
        gradedAt: new Date(),
      },
    });
    if (count === 0) return false;
    const regrade = await tx.regrade.update({ where: { id: item.regradeId }, data: { done: { increment: 1 } } });
    if (regrade.done >= regrade.total) await finishRegrade(tx, regrade.id, regrade.toVersionId);
    return true;
  });
}

/** Replaces each regraded submission's result with its new verdict, and closes the regrade (two statements, whatever the class's size). */
async function finishRegrade(tx: Prisma.TransactionClient, regradeId: string, toVersionId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE result r SET status = i.status, score = i.score, "maxScore" = i."maxScore", grade = i.grade, "durationMs" = i."durationMs"
    FROM regrade_item i WHERE i."regradeId" = ${regradeId} AND i.state = 'graded' AND r."submissionId" = i."submissionId"`;
  await tx.$executeRaw`
    UPDATE submission s SET "exerciseVersionId" = ${toVersionId}
    FROM regrade_item i WHERE i."regradeId" = ${regradeId} AND i.state = 'graded' AND s.id = i."submissionId"`;
  await tx.regrade.update({ where: { id: regradeId }, data: { finishedAt: new Date() } });
}
