/**
 * An author's run of an exercise draft (lib/authoring.ts), in the job's own sandbox like any
 * grading: `validate` runs the grader's validation on the files the run kept, storing and
 * announcing each check as the sandbox makes it; `try` grades one of those files against the
 * visible tests, as a student's run would. The package's tests run only in the sandbox.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PackageFiles } from '../common/package';
import { allChecks, verdictLine, type ValidationCheck } from '../common/validation-lines';
import { db, type Prisma } from '../lib/db';
import { publishDraftRunEvent, type DraftRunEvent } from '../lib/events';
import { draftRunJobSchema, type DraftRunJob } from '../lib/queue';
import type { SandboxPool } from './sandbox-pool';

export interface DraftRunDeps {
  pool: SandboxPool;
  redis: Redis;
  log: Logger;
  /** Jobs this process holds right now (its heartbeat lists them): the reconciler leaves them alone. */
  inHand: Set<string>;
}

/** Announcing is best effort: the stored run is the truth, and a stream starts from it. */
async function announce(deps: DraftRunDeps, id: string, event: DraftRunEvent): Promise<void> {
  await publishDraftRunEvent(deps.redis, id, event).catch((error: unknown) => deps.log.warn({ draftRunId: id, err: error }, 'could not announce a draft run event'));
}

export function draftRunProcessor(deps: DraftRunDeps): (job: Job<DraftRunJob>) => Promise<string> {
  return async (job) => {
    const payload = draftRunJobSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`Malformed draft run job ${job.id}: ${payload.error.message}`);
    const { draftRunId: id } = payload.data;
    const log = deps.log.child({ draftRunId: id });
    deps.inHand.add(id);
    try {
      return await runOnce(deps, id, log);
    } catch (error) {
      // One attempt: the author sees the run end and can ask again.
      log.error({ err: error }, 'draft run failed: the platform, not the package');
      await db.draftRun.update({ where: { id }, data: { state: 'error', finishedAt: new Date() } }).catch(() => undefined);
      await announce(deps, id, { type: 'state', state: 'error' });
      return 'error';
    } finally {
      deps.inHand.delete(id);
    }
  };
}

async function runOnce(deps: DraftRunDeps, id: string, log: Logger): Promise<string> {
  const claimed = await db.draftRun.updateMany({ where: { id, state: { in: ['queued', 'running'] } }, data: { state: 'running', checks: [] } });
  if (claimed.count === 0) return 'already-done';
  const run = await db.draftRun.findUniqueOrThrow({ where: { id }, include: { draft: { select: { slug: true } } } });
  await announce(deps, id, { type: 'state', state: 'running' });
  const exercise = { slug: run.draft.slug, files: run.files as PackageFiles };
  const started = performance.now();

  if (run.kind === 'try') {
    const file = run.file ?? 'starter.ts';
    const grade = await deps.pool.with((sandbox) =>
      sandbox.grade({ exercise, submission: { fileName: file, source: exercise.files[file] ?? '' }, options: { visibleOnly: true } }),
    );
    await db.draftRun.update({ where: { id }, data: { state: 'graded', result: grade as unknown as Prisma.InputJsonValue, finishedAt: new Date() } });
    await announce(deps, id, { type: 'state', state: 'graded' });
    log.info({ kind: 'try', file, status: grade.status, score: grade.score, maxScore: grade.maxScore, ms: Math.round(performance.now() - started) }, 'draft run done');
    return 'graded';
  }

  const heard: ValidationCheck[] = [];
  // Checks are stored in turn, so a stream opened midway reads those already made.
  let stored = Promise.resolve();
  let storeFailure: unknown = null;
  const onCheck = (check: ValidationCheck) => {
    const index = heard.push(check) - 1;
    const checks = [...heard];
    stored = stored
      .then(() => db.draftRun.update({ where: { id }, data: { checks: checks as unknown as Prisma.InputJsonValue } }))
      .then(() => announce(deps, id, { type: 'check', index, check }))
      .catch((error: unknown) => {
        storeFailure ??= error;
      });
  };
  const answer = await deps.pool.with((sandbox) => sandbox.validate(exercise, {}, onCheck));
  await stored;
  if (storeFailure) throw storeFailure;
  const checks = allChecks(heard, answer);
  const valid = verdictLine(checks) === 'valid';
  // Stored before announced, like each live check: a stream reads what it missed from the database.
  await db.draftRun.update({ where: { id }, data: { state: 'graded', checks: checks as unknown as Prisma.InputJsonValue, valid, finishedAt: new Date() } });
  for (const [index, check] of checks.entries()) if (index >= heard.length) await announce(deps, id, { type: 'check', index, check });
  await announce(deps, id, { type: 'state', state: 'graded', valid });
  log.info({ kind: 'validate', valid, checks: checks.length, ms: Math.round(performance.now() - started) }, 'draft run done');
  return valid ? 'valid' : 'invalid';
}
