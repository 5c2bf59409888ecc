/**
 * The worker's settings, read once from the environment and checked with zod: a typo in a
 * deployment stops the worker at start with the variable named, not at the first job.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
/** A Unix nice value a process may take for itself: 0 (as started) to 19 (the lowest CPU priority). */
const niceValue = z.coerce.number().int().min(0).max(19);

const environmentSchema = z.object({
  /** Jobs graded at once, each in its own sandbox process. */
  WORKER_CONCURRENCY: positiveInt.default(availableParallelism()),
  /**
   * How long a job stays a worker's without a renewal. The lock is renewed every half of it while
   * the grading runs in its sandbox process (the worker's own event loop stays free), so even a
   * two-minute grading keeps it; what this bounds is how soon a crashed worker's job returns.
   */
  WORKER_LOCK_MS: positiveInt.default(60_000),
  /** How often queued submissions missing from Redis are looked for. */
  WORKER_RECONCILE_MS: positiveInt.default(30_000),
  /**
   * The sandbox processes' nice value: students' code yields the CPU to the web app, PostgreSQL
   * and Redis on a shared machine, so pages stay fast while a burst is graded.
   */
  WORKER_SANDBOX_NICE: niceValue.default(10),
  /** The worker process's own nice value (its sandboxes never run above it). */
  WORKER_NICE: niceValue.default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

export type WorkerConfig = {
  concurrency: number;
  lockMs: number;
  reconcileMs: number;
  sandboxNice: number;
  nice: number;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
};

export function readConfig(environment: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  const { WORKER_CONCURRENCY, WORKER_LOCK_MS, WORKER_RECONCILE_MS, WORKER_SANDBOX_NICE, WORKER_NICE, LOG_LEVEL } = parsed.data;
  return {
    concurrency: WORKER_CONCURRENCY,
    lockMs: WORKER_LOCK_MS,
    reconcileMs: WORKER_RECONCILE_MS,
    sandboxNice: WORKER_SANDBOX_NICE,
    nice: WORKER_NICE,
    logLevel: LOG_LEVEL,
  };
}
