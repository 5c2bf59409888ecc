/**
 * The grading queue: its name, what a job carries, and how urgent each kind of job is. The web app
 * adds jobs; the worker (worker/) takes them. A job carries only ids: the worker reads the truth
 * from the database, so a retried job grades what is stored.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { connectRedis, keyPrefix } from './redis';

export const GRADING_QUEUE = 'grading';

/** A job grades a submission, or one submission of a regrade (lib/regrades.ts) against the newer version. */
export const gradingJobSchema = z.union([z.object({ submissionId: z.string().min(1) }), z.object({ regradeItemId: z.string().min(1) })]);
export type GradingJob = z.infer<typeof gradingJobSchema>;

/** A regrade item's job id: apart from its submission's, so a regrade never collides with the grading it repeats. */
export function regradeJobId(regradeItemId: string): string {
  return `regrade-${regradeItemId}`;
}

/** An author's validation or "try as a student" of an exercise draft (lib/authoring.ts): a job named `draft-run`. */
export const DRAFT_RUN_JOB = 'draft-run';
export const draftRunJobSchema = z.object({ draftRunId: z.string().min(1) });
export type DraftRunJob = z.infer<typeof draftRunJobSchema>;

/**
 * Why a job runs: lower numbers are taken first (BullMQ's priorities). A validation grades the
 * reference, the starter and every known-wrong solution, so it waits behind students'
 * submissions (an author is not on a deadline) but goes ahead of regrades; an author's "try as a
 * student" is as short as a visible run and goes with them.
 */
export const PRIORITY = { visible: 1, submit: 2, validate: 3, regrade: 4 } as const;
export type GradingReason = Exclude<keyof typeof PRIORITY, 'validate'>;

/** Infrastructure failures (database down, a sandbox that died) are retried this often, with backoff. */
export const GRADING_ATTEMPTS = 5;

/** Job options: the job's id is the submission's (or the regrade item's), so queueing it twice keeps one job. */
function gradingJobOptions(jobId: string, reason: GradingReason): JobsOptions {
  return {
    jobId,
    priority: PRIORITY[reason],
    attempts: GRADING_ATTEMPTS,
    backoff: { type: 'exponential', delay: 1_000 },
    // Finished jobs leave Redis: the database holds every result.
    removeOnComplete: true,
    removeOnFail: true,
  };
}

/** BullMQ leaves a connection it was handed open, so each queue's own is kept here to close. */
const opened = new Map<string, { queue: Queue; connection: Redis }>();

/** This process's handle on the queue `name` (created on first use). */
export function openQueue<T>(name: string): Queue<T> {
  const known = opened.get(name);
  if (known) return known.queue as Queue<T>;
  const connection = connectRedis({ maxRetriesPerRequest: 2, enableOfflineQueue: false });
  const queue = new Queue<T>(name, { connection, prefix: keyPrefix() });
  // A lost connection surfaces as a failed `add`, answered where it fails; unheard, the event would end the process.
  queue.on('error', () => undefined);
  opened.set(name, { queue: queue as Queue, connection });
  return queue;
}

/** This process's handle on the grading queue. */
export function gradingQueue(): Queue<GradingJob | DraftRunJob> {
  return openQueue<GradingJob | DraftRunJob>(GRADING_QUEUE);
}

/** Hands a stored submission to the workers. Idempotent: a submission already waiting is not queued twice. */
export async function enqueueGrading(submissionId: string, reason: GradingReason): Promise<void> {
  await gradingQueue().add('grade', { submissionId }, gradingJobOptions(submissionId, reason));
}

/** Hands one submission of a regrade to the workers, behind every student's grading. Idempotent, as above. */
export async function enqueueRegrade(regradeItemId: string): Promise<void> {
  await gradingQueue().add('regrade', { regradeItemId }, gradingJobOptions(regradeJobId(regradeItemId), 'regrade'));
}

/** Hands a stored draft run to the workers; one attempt, since an author can simply ask again. */
export async function enqueueDraftRun(draftRunId: string, kind: 'validate' | 'try'): Promise<void> {
  await gradingQueue().add(DRAFT_RUN_JOB, { draftRunId }, {
    jobId: draftRunId,
    priority: PRIORITY[kind === 'validate' ? 'validate' : 'visible'],
    removeOnComplete: true,
    removeOnFail: true,
  });
}

export async function closeQueue(): Promise<void> {
  const handles = [...opened.values()];
  opened.clear();
  for (const { queue, connection } of handles) {
    await queue.close();
    connection.disconnect();
  }
}
