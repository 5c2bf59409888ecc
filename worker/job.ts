/**
 * What every kind of grading job shares (grading.ts grades a submission, regrading.ts one
 * submission of a regrade): the worker's dependencies, the phase timer, the cache of exercise
 * versions, and how a failure of the platform reads.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ExercisePackage } from '../grader/sandbox-client';
import { loadVersionPackage } from '../lib/exercises';
import type { SandboxPool } from './sandbox-pool';

export interface GradingDeps {
  pool: SandboxPool;
  redis: Redis;
  log: Logger;
  /** Jobs this process is grading now, by job id (the heartbeat lists them for the reconciler). */
  inHand: Set<string>;
}

/** A failure of the platform, never of the student's code. */
export class InfrastructureError extends Error {}

/** What a student reads when the platform gave up on their submission. */
export function platformFailureMessage(attempts: number): string {
  return `Rendezvous could not grade this submission: the grading platform failed ${attempts} time${attempts === 1 ? '' : 's'}, which is not a fault in your code; submit again, or ask your instructor to regrade it.`;
}

/** Times each phase of one job, for the log line that closes it. */
export class PhaseTimer {
  readonly ms: Record<string, number> = {};

  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.ms[phase] = Math.round(performance.now() - start);
    }
  }
}

/** Exercise versions never change once published, so a worker keeps the latest few it graded against. */
export class VersionCache {
  private readonly packages = new Map<string, ExercisePackage>();

  constructor(private readonly capacity: number) {}

  async get(versionId: string): Promise<ExercisePackage> {
    const cached = this.packages.get(versionId);
    if (cached) return cached;
    const loaded = await loadVersionPackage(versionId);
    if (this.packages.size >= this.capacity) this.packages.delete(this.packages.keys().next().value as string);
    this.packages.set(versionId, loaded);
    return loaded;
  }
}
