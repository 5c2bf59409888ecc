/**
 * The grading worker (`npm run worker`): takes jobs from the grading queue, grades each in a
 * sandbox process of its own, and keeps three things going beside it: a heartbeat (so the web
 * app can count live workers), the reconciler (so a Redis that lost its jobs loses no
 * submission) and a clean stop on SIGTERM (the job in hand is finished, nothing new is taken).
 */
import { Worker, type Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pino, { type Logger } from 'pino';
import { db } from '../lib/db';
import { closeQueue, DRAFT_RUN_JOB, GRADING_QUEUE, gradingQueue, type DraftRunJob, type GradingJob } from '../lib/queue';
import { connectRedis, keyPrefix } from '../lib/redis';
import { HEARTBEAT_EVERY_MS, removeHeartbeat, writeHeartbeat } from '../lib/heartbeats';
import { countEvent } from '../lib/metrics';
import { readConfig } from './config';
import { draftRunProcessor } from './draft-runs';
import { gradingProcessor } from './grading';
import { VersionCache } from './job';
import { TRACE_QUEUE, type FullTraceJob } from '../lib/traces';
import { fullTraceProcessor } from './traces';
import { lowerOwnPriority } from './priority';
import { reconcile } from './reconciler';
import { SandboxPool } from './sandbox-pool';

process.title = 'rendezvous-worker';

/** Runs `task` now and every `everyMs`; a failed round is logged and the next one tries again. */
function every(everyMs: number, what: string, log: Logger, task: () => Promise<unknown>): NodeJS.Timeout {
  const round = () => task().catch((error: unknown) => log.warn({ err: error }, `${what} failed; trying again in ${everyMs} ms`));
  void round();
  return setInterval(round, everyMs);
}

function start(): void {
  const config = readConfig();
  const workerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const log = pino({ level: config.logLevel, base: { worker: workerId } });
  // Before the sandboxes start: theirs is set against this process's.
  lowerOwnPriority(config.nice);
  // Publishing and heartbeats fail fast while Redis is away, rather than holding a job until it returns.
  const redis = connectRedis({ maxRetriesPerRequest: 1 });
  redis.on('error', (error) => log.debug({ err: error }, 'redis connection error'));
  const pool = new SandboxPool(config.concurrency, () => {
    log.warn('a sandbox process died or was killed during a job; the next job starts a fresh one');
    countEvent(redis, 'rendezvous_sandbox_restarts_total').catch(() => undefined);
  }, { niceness: config.sandboxNice });
  const inHand = new Set<string>();
  const startedAt = new Date().toISOString();

  // BullMQ closes only the connections it made; this one is ours to close.
  const queueConnection = connectRedis();
  const versions = new VersionCache(64);
  const grading = gradingProcessor({ pool, redis, log, inHand }, versions);
  const draftRuns = draftRunProcessor({ pool, redis, log, inHand });
  // One queue, so authors' runs share the sandboxes and the priorities of students' gradings.
  const processor = (job: Job<GradingJob | DraftRunJob>) => (job.name === DRAFT_RUN_JOB ? draftRuns(job as Job<DraftRunJob>) : grading(job as Job<GradingJob>));
  const worker = new Worker<GradingJob | DraftRunJob, string>(GRADING_QUEUE, processor, {
    connection: queueConnection,
    prefix: keyPrefix(),
    name: workerId,
    concurrency: config.concurrency,
    lockDuration: config.lockMs,
    stalledInterval: Math.ceil(config.lockMs / 2),
    // A job whose worker died twice gets one more chance; after that the reconciler and the stored attempt count decide.
    maxStalledCount: 2,
  });
  // Whole traces wait behind nothing: the pool's slots are shared, and a student is looking at the page.
  const traces = new Worker<FullTraceJob, string>(TRACE_QUEUE, fullTraceProcessor({ pool, versions, log }), {
    connection: queueConnection,
    prefix: keyPrefix(),
    name: workerId,
    concurrency: 1,
    lockDuration: config.lockMs,
  });
  traces.on('error', (error) => log.warn({ err: error }, 'trace queue error'));
  // An operator sees at start which walls stand around students' code on this machine.
  worker.on('ready', () => log.info({ concurrency: config.concurrency, lockMs: config.lockMs, reconcileMs: config.reconcileMs, nice: config.nice, walls: pool.describeWalls() }, 'ready'));
  worker.on('failed', (job, error) => log.warn({ submissionId: job?.id, attemptsMade: job?.attemptsMade, err: error }, 'job failed; BullMQ retries it while attempts remain'));
  worker.on('stalled', (jobId) => log.warn({ submissionId: jobId }, 'job stalled (its worker stopped renewing the lock): back to the queue'));
  worker.on('error', (error) => log.warn({ err: error }, 'queue error'));
  // The reconciler's queue handle: without a listener BullMQ prints every lost connection to stderr.
  gradingQueue().on('error', (error) => log.debug({ err: error }, 'queue handle error'));

  const heartbeat = every(HEARTBEAT_EVERY_MS, 'heartbeat', log, () =>
    writeHeartbeat(redis, workerId, { pid: process.pid, host: hostname(), concurrency: config.concurrency, startedAt, grading: [...inHand] }),
  );
  const reconciler = every(config.reconcileMs, 'reconciling', log, () => reconcile(redis, inHand, config.reconcileMs, log));

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      log.warn({ signal, inHand: [...inHand] }, 'second signal: leaving the jobs in hand to the stalled check');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, inHand: [...inHand] }, 'stopping: taking no new job, finishing the ones in hand');
    clearInterval(reconciler);
    await Promise.all([worker.close(), traces.close()]);
    clearInterval(heartbeat);
    pool.close();
    await removeHeartbeat(redis, workerId).catch(() => undefined);
    await closeQueue();
    queueConnection.disconnect();
    redis.disconnect();
    await db.$disconnect();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}

start();
