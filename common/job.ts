/** What a caller asks the sandbox to run: plain data, so it can cross to the sandbox's child process. */
import type { ProgramSpec, RunOptions, RunResult } from '../kernel';

/** One program of a run, as source: compiled in the sandbox, instantiated once per simulated process. */
export interface ProgramSource extends Omit<ProgramSpec, 'module'> {
  source: string;
  /** Names the program in messages; its extension decides TypeScript or JavaScript. */
  fileName: string;
}

/** Everything the kernel is told except the programs, which the sandbox builds from source. */
export type KernelSettings = Omit<RunOptions, 'programs' | 'pollBudget' | 'pauseBefore'>;

/** The run's real-resource limits, enforced by the sandbox rather than the kernel. */
export interface SandboxLimits {
  cpuMs: number;
  memoryMb: number;
}

/** The job's limits, with the defaults (2,000 ms of CPU, 64 MiB) for those it leaves out. */
export function resolveLimits(limits: Partial<SandboxLimits> = {}): SandboxLimits {
  return { cpuMs: limits.cpuMs ?? 2000, memoryMb: limits.memoryMb ?? 64 };
}

/**
 * A run's limit is CPU time, so a busy machine does not time out honest code; but a machine so busy
 * that a run gets less than a tenth of a core stops it anyway, at this many times its budget in wall time.
 */
export const WALL_TIME_PER_CPU_BUDGET = 10;

/** Wall time one run may take in all, its attempts on a busy machine included. */
export function runWallLimitMs(limits: SandboxLimits): number {
  return WALL_TIME_PER_CPU_BUDGET * limits.cpuMs;
}

/** Grading time a job may use in all before it stops as `timeout`: every run has its own limit, so only a wasteful submission gets near. */
export const JOB_BUDGET_MS = 120_000;

/** Gradings one isolate serves before it is retired (1: nothing of one submission reaches the next; see session.ts). */
export const DEFAULT_GRADINGS_PER_ISOLATE = 1;

export interface SandboxJob {
  programs: ProgramSource[];
  settings: KernelSettings;
  limits?: Partial<SandboxLimits>;
}

/**
 * PCT spreads its change points over an estimate of the run's length: the
 * round-robin run's steps times 1.2 (at least 10). `rendezvous run --schedule
 * pct\` uses the same estimate, so a PCT seed of the grader reproduces there.
 */
export function pctStepsFor(roundRobin: Pick<RunResult, 'steps'>): number {
  return Math.max(10, Math.ceil(roundRobin.steps * 1.2));
}
