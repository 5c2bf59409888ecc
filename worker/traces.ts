/**
 * Rebuilds a failed test's counterexample whole (see lib/traces.ts): the submission's one test is
 * graded again in a sandbox with the options of its first grading, and the counterexample kept
 * with its whole trace.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { db, Prisma } from '../lib/db';
import { fullTraceJobSchema, type FullTraceJob } from '../lib/traces';
import { gradeOptionsFor } from './grading';
import type { VersionCache } from './job';
import type { SandboxPool } from './sandbox-pool';

export interface TraceDeps {
  pool: SandboxPool;
  versions: VersionCache;
  log: Logger;
}

export function fullTraceProcessor(deps: TraceDeps): (job: Job<FullTraceJob>) => Promise<string> {
  return async (job) => {
    const payload = fullTraceJobSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`Malformed trace job ${job.id}: ${payload.error.message}`);
    const row = await db.fullTrace.findUnique({
      where: { id: payload.data.fullTraceId },
      include: { submission: { select: { code: true, kind: true, exerciseVersionId: true } } },
    });
    if (!row) return 'missing';
    if (row.state === 'ready') return 'ready';
    const log = deps.log.child({ submissionId: row.submissionId, test: row.test });
    const { submission } = row;
    const exercise = await deps.versions.get(submission.exerciseVersionId);
    const grade = await deps.pool.with((sandbox) =>
      sandbox.grade({
        exercise,
        submission: { fileName: 'submission.ts', source: submission.code },
        options: { ...gradeOptionsFor(submission.kind), onlyTest: row.test },
      }),
    );
    if (grade.status === 'internal-error') throw new Error(grade.message ?? 'the sandbox answered internal-error');
    const counterexample = grade.tests.find((test) => test.name === row.test)?.counterexample ?? null;
    if (!counterexample) {
      // Grading is deterministic, so this means the exercise or the grader changed under the stored result.
      log.warn({ status: grade.status }, 'the test no longer fails the same way; the whole trace cannot be rebuilt');
      await db.fullTrace.update({ where: { id: row.id }, data: { state: 'failed', message: 'Grading this test again did not fail the same way, so its whole trace cannot be rebuilt.' } });
      return 'failed';
    }
    await db.fullTrace.update({ where: { id: row.id }, data: { state: 'ready', counterexample: counterexample as unknown as Prisma.InputJsonValue } });
    log.info({ entries: counterexample.trace.length }, 'whole trace rebuilt');
    return 'ready';
  };
}
