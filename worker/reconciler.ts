/**
 * The database is the truth about what awaits grading; Redis only holds the queue. When the two
 * disagree (Redis restarted without persistence, a job failed for good while the database was
 * down) the reconciler queues again every submission, regrade item and author's draft run still
 * waiting whose job Redis has lost.
 * Queueing is idempotent by job id, and grading stores one result whatever, so several workers
 * reconciling at once cost nothing but a few reads.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { db } from '../lib/db';
import { enqueueDraftRun, enqueueGrading, enqueueRegrade, gradingQueue, regradeJobId } from '../lib/queue';
import { keyPrefix } from '../lib/redis';
import { HEARTBEAT_TTL_MS, liveWorkers } from '../lib/heartbeats';

/** Submissions looked at per pass, oldest first; a longer backlog is reached by the next passes. */
const BATCH = 1_000;

/**
 * Whether every live worker has had time to write its heartbeat since Redis last started: until
 * then a running submission missing from the heartbeats may still be in some worker's hands.
 */
async function heartbeatsComplete(redis: Redis): Promise<boolean> {
  const uptime = /uptime_in_seconds:(\d+)/.exec(await redis.info('server'));
  return uptime !== null && Number(uptime[1]) * 1000 > HEARTBEAT_TTL_MS;
}

export interface ReconcileReport {
  looked: number;
  requeued: string[];
}

/**
 * One pass. `inHand` are this process's own gradings; other workers' come from their heartbeats.
 * One worker passes at a time (a Redis lock that expires by itself, within the interval so the
 * next pass is never skipped), to spare the database.
 */
export async function reconcile(redis: Redis, inHand: ReadonlySet<string>, intervalMs: number, log: Logger): Promise<ReconcileReport | null> {
  const turn = await redis.set(`${keyPrefix()}:reconciler`, String(process.pid), 'PX', Math.ceil(intervalMs / 2), 'NX');
  if (turn === null) return null;
  const waiting = await db.submission.findMany({
    where: { state: { in: ['queued', 'running'] } },
    select: { id: true, kind: true, state: true },
    orderBy: { createdAt: 'asc' },
    take: BATCH,
  });
  const regrading = await db.regradeItem.findMany({
    where: { state: { in: ['queued', 'running'] } },
    select: { id: true, state: true },
    orderBy: { id: 'asc' },
    take: BATCH,
  });
  const drafting = await db.draftRun.findMany({
    where: { state: { in: ['queued', 'running'] } },
    select: { id: true, kind: true, state: true },
    orderBy: { createdAt: 'asc' },
    take: BATCH,
  });
  const held = new Set(inHand);
  for (const worker of await liveWorkers(redis)) for (const id of worker.grading) held.add(id);
  const runningKnown = await heartbeatsComplete(redis);
  const lost = async (jobId: string, state: string) =>
    !held.has(jobId) && (state !== 'running' || runningKnown) && (await gradingQueue().getJobState(jobId)) === 'unknown';
  const requeued: string[] = [];
  for (const submission of waiting) {
    if (!(await lost(submission.id, submission.state))) continue;
    await enqueueGrading(submission.id, submission.kind);
    requeued.push(submission.id);
  }
  for (const item of regrading) {
    const jobId = regradeJobId(item.id);
    if (!(await lost(jobId, item.state))) continue;
    await enqueueRegrade(item.id);
    requeued.push(jobId);
  }
  for (const run of drafting) {
    if (!(await lost(run.id, run.state))) continue;
    await enqueueDraftRun(run.id, run.kind);
    requeued.push(run.id);
  }
  const looked = waiting.length + regrading.length + drafting.length;
  if (requeued.length > 0) log.warn({ requeued, looked }, 'queued again submissions whose jobs Redis had lost');
  return { looked, requeued };
}
