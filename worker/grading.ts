/**
 * One grading job (a regrade's is in regrading.ts), as a pipeline of named, timed phases: load
 * (the submission and its exercise version, by id), grade (compile, run and score, inside the grader's sandbox), store (the result
 * and the state, in one transaction), announce (the new state, over Redis).
 *
 * A student's compile error, timeout or deadlock is a result like any other. Whatever else goes
 * wrong (the database, Redis, a sandbox that answers `internal-error`) throws, so BullMQ retries
 * the job with backoff; the last attempt stores the platform's failure instead.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { GradeOptions, GradeResult } from '../grader/grade';
import { db, Prisma, type SubmissionKind } from '../lib/db';
import { publishState } from '../lib/events';
import { countEvent, observeSeconds } from '../lib/metrics';
import { GRADING_ATTEMPTS, gradingJobSchema, regradeJobId, type GradingJob } from '../lib/queue';
import { withTrimmedTraces } from '../lib/traces';
import { regradeOnce, storeRegradeFailure } from './regrading';
import { InfrastructureError, PhaseTimer, platformFailureMessage, VersionCache, type GradingDeps } from './job';

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/**
 * Writes the verdict and the final state together. Returns false when another attempt stored one
 * first: the unique submissionId of Result refuses a second, and the transaction leaves nothing.
 */
async function storeVerdict(submissionId: string, grade: GradeResult, state: 'graded' | 'error'): Promise<boolean> {
  try {
    await db.$transaction([
      db.result.create({
        data: {
          submissionId,
          status: grade.status,
          score: grade.score,
          maxScore: grade.maxScore,
          grade: withTrimmedTraces(grade) as unknown as Prisma.InputJsonValue,
          durationMs: Math.round(grade.durationMs),
        },
      }),
      db.submission.update({ where: { id: submissionId }, data: { state, gradedAt: state === 'graded' ? new Date() : null } }),
    ]);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Ends a submission as the platform's failure; false when a verdict was already stored. */
function storePlatformFailure(submissionId: string, attempts: number): Promise<boolean> {
  const message = platformFailureMessage(attempts);
  return storeVerdict(submissionId, { status: 'internal-error', message, score: 0, maxScore: 0, tests: [], durationMs: 0, phases: {}, runs: 0 }, 'error');
}

/**
 * Counts a stored verdict for /api/metrics (lib/metrics.ts): its outcome, and for a grading its
 * duration and the submission's time from creation to verdict. Best effort, as announcing is.
 */
async function recordVerdict(deps: GradingDeps, outcome: string, graded?: { kind: SubmissionKind; gradingMs: number; createdAt: Date }): Promise<void> {
  try {
    await countEvent(deps.redis, 'rendezvous_gradings_total', { outcome });
    if (!graded) return;
    await observeSeconds(deps.redis, 'rendezvous_grading_duration_seconds', { kind: graded.kind }, graded.gradingMs / 1000);
    await observeSeconds(deps.redis, 'rendezvous_submission_latency_seconds', { kind: graded.kind }, (Date.now() - graded.createdAt.getTime()) / 1000);
  } catch (error) {
    deps.log.warn({ outcome, err: error }, 'could not record the verdict in the metrics');
  }
}

/** Announcing is best effort: the database holds the truth, and the event stream starts from it. */
async function announce(deps: GradingDeps, submissionId: string, event: Parameters<typeof publishState>[2]): Promise<void> {
  try {
    await publishState(deps.redis, submissionId, event);
  } catch (error) {
    deps.log.warn({ submissionId, state: event.state, err: error }, 'could not announce the state change');
  }
}

async function announceVerdict(deps: GradingDeps, submissionId: string): Promise<void> {
  const result = await db.result.findUnique({ where: { submissionId }, select: { score: true, maxScore: true, submission: { select: { state: true } } } });
  if (!result) return;
  const state = result.submission.state === 'error' ? 'error' : 'graded';
  await announce(deps, submissionId, { state, score: result.score, maxScore: result.maxScore });
}

/** How a submission of this kind is graded; a whole trace is rebuilt with the same options. */
export function gradeOptionsFor(kind: SubmissionKind): GradeOptions {
  return { visibleOnly: kind === 'visible' };
}

interface Claimed {
  kind: SubmissionKind;
  code: string;
  exerciseVersionId: string;
  attempts: number;
  waitedMs: number;
  createdAt: Date;
}

/**
 * Marks the submission running for this attempt, or answers why there is nothing to grade. The
 * update's guard on the state keeps a late duplicate from moving a graded submission back.
 */
async function claim(submissionId: string): Promise<Claimed | 'missing' | 'final' | 'attempts-spent'> {
  const submission = await db.submission.findUnique({
    where: { id: submissionId },
    select: { kind: true, code: true, exerciseVersionId: true, state: true, attempts: true, createdAt: true, queuedAt: true },
  });
  if (!submission) return 'missing';
  if (submission.state === 'graded' || submission.state === 'error') return 'final';
  // Stalls and re-queued jobs restart BullMQ's count; the stored count of pick-ups does not.
  if (submission.attempts >= GRADING_ATTEMPTS) return 'attempts-spent';
  const startedAt = new Date();
  const { count } = await db.submission.updateMany({
    where: { id: submissionId, state: { in: ['queued', 'running'] } },
    data: { state: 'running', startedAt, attempts: { increment: 1 } },
  });
  if (count === 0) return 'final';
  return {
    kind: submission.kind,
    code: submission.code,
    exerciseVersionId: submission.exerciseVersionId,
    attempts: submission.attempts + 1,
    waitedMs: startedAt.getTime() - (submission.queuedAt ?? submission.createdAt).getTime(),
    createdAt: submission.createdAt,
  };
}

async function endAsPlatformFailure(deps: GradingDeps, submissionId: string): Promise<void> {
  await recordVerdict(deps, 'internal-error');
  await announceVerdict(deps, submissionId);
}

/** What one kind of job does: grade once, and end as the platform's failure when its attempts are spent. */
interface JobTarget {
  /** What the heartbeat lists while it is in hand (the job's id). */
  id: string;
  log: Logger;
  gradeOnce(): Promise<string>;
  fail(attempt: number): Promise<void>;
}

function targetOf(deps: GradingDeps, versions: VersionCache, job: GradingJob, attempt: number): JobTarget {
  if ('regradeItemId' in job) {
    const { regradeItemId } = job;
    const log = deps.log.child({ regradeItemId, attempt });
    return {
      id: regradeJobId(regradeItemId),
      log,
      gradeOnce: () => regradeOnce(deps, versions, regradeItemId, log),
      fail: async (attempts) => void (await storeRegradeFailure(regradeItemId, attempts)),
    };
  }
  const { submissionId } = job;
  const log = deps.log.child({ submissionId, attempt });
  return {
    id: submissionId,
    log,
    gradeOnce: () => gradeOnce(deps, versions, submissionId, log),
    fail: async (attempts) => {
      if (await storePlatformFailure(submissionId, attempts)) await endAsPlatformFailure(deps, submissionId);
    },
  };
}

/** The BullMQ processor: grades the job's submission (or regrade item), at most one stored result whatever happens. */
export function gradingProcessor(deps: GradingDeps, versions: VersionCache): (job: Job<GradingJob>) => Promise<string> {
  return async (job) => {
    const payload = gradingJobSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`Malformed grading job ${job.id}: ${payload.error.message}`);
    const attempt = job.attemptsMade + 1;
    const target = targetOf(deps, versions, payload.data, attempt);
    deps.inHand.add(target.id);
    try {
      return await target.gradeOnce();
    } catch (error) {
      const lastAttempt = attempt >= (job.opts.attempts ?? 1);
      target.log.error({ err: error, lastAttempt }, 'grading failed: the platform, not the submission');
      if (!lastAttempt) throw error;
      await target.fail(attempt);
      return 'error';
    } finally {
      deps.inHand.delete(target.id);
    }
  };
}

async function gradeOnce(deps: GradingDeps, versions: VersionCache, submissionId: string, log: Logger): Promise<string> {
  const phases = new PhaseTimer();
  const loaded = await phases.time('load', async () => {
    const claimed = await claim(submissionId);
    if (typeof claimed === 'string') return claimed;
    return { claimed, exercise: await versions.get(claimed.exerciseVersionId) };
  });
  if (loaded === 'missing') {
    log.warn('the submission no longer exists; nothing to grade');
    return 'missing';
  }
  if (loaded === 'final') {
    // Its verdict may have been stored by a worker that died before announcing it.
    log.info('already graded; announcing the stored verdict again');
    await announceVerdict(deps, submissionId);
    return 'already-graded';
  }
  if (loaded === 'attempts-spent') {
    log.error({ attempts: GRADING_ATTEMPTS }, 'picked up too many times without a result; ending it as the platform\'s failure');
    if (await storePlatformFailure(submissionId, GRADING_ATTEMPTS)) await endAsPlatformFailure(deps, submissionId);
    return 'error';
  }
  const { claimed, exercise } = loaded;
  await announce(deps, submissionId, { state: 'running' });

  const grade = await phases.time('grade', () =>
    deps.pool.with((sandbox) =>
      sandbox.grade({
        exercise,
        submission: { fileName: 'submission.ts', source: claimed.code },
        options: gradeOptionsFor(claimed.kind),
      }),
    ),
  );
  if (grade.status === 'internal-error') throw new InfrastructureError(grade.message ?? 'the sandbox answered internal-error');

  const stored = await phases.time('store', () => storeVerdict(submissionId, grade, 'graded'));
  if (stored) await phases.time('announce', () => announce(deps, submissionId, { state: 'graded', score: grade.score, maxScore: grade.maxScore }));
  log.info(
    {
      status: grade.status,
      score: grade.score,
      maxScore: grade.maxScore,
      kind: claimed.kind,
      pickups: claimed.attempts,
      stored,
      phases: { queued: claimed.waitedMs, ...phases.ms },
      graderPhases: grade.phases,
    },
    stored ? 'graded' : 'graded, but another attempt had stored its result first',
  );
  if (stored) await recordVerdict(deps, grade.status, { kind: claimed.kind, gradingMs: phases.ms.grade, createdAt: claimed.createdAt });
  return stored ? 'graded' : 'already-graded';
}
