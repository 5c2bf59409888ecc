/** The contract between the sandbox (Node side) and the runtime it loads into each isolate context. */
import type { ModuleFactory, ProgramSpec } from '../kernel';
import type { KernelSettings } from './job';

/** A program as the isolate receives it: its module is an index into the factories passed beside it. */
export interface IsolateProgram extends Omit<ProgramSpec, 'module'> {
  moduleIndex: number;
}

export interface IsolateRunSettings {
  kernel: KernelSettings;
  programs: IsolateProgram[];
  /** Real milliseconds after which the kernel ends the run as `timeout`, keeping its output. */
  cpuBudgetMs: number;
}

/** The script's completion value: held by the sandbox only, never reachable from student code. */
export interface IsolateRuntime {
  startRun(settings: IsolateRunSettings, ...modules: ModuleFactory[]): void;
  /**
   * Starts a batch: each run starts when the one before finishes, all in
   * microtasks. One call instead of several per run, for a grading's hundreds.
   */
  startBatch(batch: IsolateRunSettings[], ...modules: ModuleFactory[]): void;
  /** Settles a stall (every thread awaits something that is not a system call) and continues. */
  idle(): void;
  /** The run (or the whole batch) is over. */
  finished(): boolean;
  resultJson(): string;
  /** The batch's RunResults, as one JSON array. */
  batchJson(): string;
}
