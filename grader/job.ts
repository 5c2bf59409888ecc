/** What a caller asks the sandbox to run: plain data, so it can cross to the sandbox's child process. */
import type { ProgramSpec, RunOptions } from '../kernel';

/** One program of a run, as source: compiled in the sandbox, instantiated once per simulated process. */
export interface ProgramSource extends Omit<ProgramSpec, 'module'> {
  source: string;
  /** Names the program in messages; its extension decides TypeScript or JavaScript. */
  fileName: string;
}

/** Everything the kernel is told except the programs, which the sandbox builds from source. */
export type KernelSettings = Omit<RunOptions, 'programs' | 'overBudget' | 'pauseBefore'>;

/** The run's real-resource limits, enforced by the sandbox rather than the kernel. */
export interface SandboxLimits {
  cpuMs: number;
  memoryMb: number;
}

/** The job's limits, with the defaults (2,000 ms of CPU, 64 MiB) for those it leaves out. */
export function resolveLimits(limits: Partial<SandboxLimits> = {}): SandboxLimits {
  return { cpuMs: limits.cpuMs ?? 2000, memoryMb: limits.memoryMb ?? 64 };
}

/** Grading time a job may use in all before it stops as `timeout`: every run has its own limit, so only a wasteful submission gets near. */
export const JOB_BUDGET_MS = 120_000;

/** Gradings one isolate serves before it is retired anyway (see session.ts for when it retires sooner). */
export const DEFAULT_GRADINGS_PER_ISOLATE = 100;

export interface SandboxJob {
  programs: ProgramSource[];
  settings: KernelSettings;
  limits?: Partial<SandboxLimits>;
}
