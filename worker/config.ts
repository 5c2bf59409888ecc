/**
 * The worker's settings, read once from the environment and checked with zod: a typo in a
 * deployment stops the worker at start with the variable named, not at the first job.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

export type WorkerConfig = {
  concurrency: number;
  lockMs: number;
  reconcileMs: number;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
};

export function readConfig(environment: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  const { WORKER_CONCURRENCY, WORKER_LOCK_MS, WORKER_RECONCILE_MS, LOG_LEVEL } = parsed.data;
  return { concurrency: WORKER_CONCURRENCY, lockMs: WORKER_LOCK_MS, reconcileMs: WORKER_RECONCILE_MS, logLevel: LOG_LEVEL };
}
