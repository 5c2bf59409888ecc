/** The contract between the sandbox (Node side) and the runtime it loads into each isolate context. */
import type { ModuleFactory, ProgramSpec } from '../kernel';
import type { KernelSettings } from '../common/job';

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

/**
 * A batch as it enters the isolate: the first run's settings whole, and each run as what differs
 * from them. The structured copy writes out every key of every object it meets, and a test's runs
 * differ only in a few settings (seed, schedule, a replayed prefix): whole settings per run were
 * 188 KB, as V8 serialises them, for a pipe-message grading's 572 batched runs (45 KB this way).
 */
export interface IsolateBatch {
  first: IsolateRunSettings;
  /** Per run, in order: its kernel settings that differ from the first's (undefined where it has none), and its programs if others. */
  runs: { kernel: Partial<KernelSettings>; programs?: IsolateProgram[] }[];
  /** A run that hits the step limit ends the batch (the runs after it are not made). */
  stopAtStepLimit: boolean;
}

/** Prefixes the runtime's own failures, so the sandbox tells them from a program's unhandled rejection, which isolated-vm throws after a call. */
export const RUNTIME_FAILURE = 'rendezvous runtime: ';

/** The script's completion value: held by the sandbox only, never reachable from student code. */
export interface IsolateRuntime {
  /**
   * The modules the next runs start from (none: let go of them). Handed over when a session runs in
   * the realm after another did, not with every run: a handle per module and call cost 1.3 µs a run.
   */
  holdModules(...modules: ModuleFactory[]): void;
  startRun(settings: IsolateRunSettings): void;
  /**
   * Starts a batch: each run starts when the one before finishes, all in
   * microtasks. One call instead of several per run, for a grading's hundreds.
   */
  startBatch(batch: IsolateBatch): void;
  /** Settles a stall (every thread awaits something that is not a system call) and continues. */
  idle(): void;
  /**
   * Once the run (or the whole batch) is over, its WireRunResult (its decisions encoded; the sandbox
   * decodes them, session.ts, fromWire), or the batch's, as one JSON array; null while it goes on.
   * One call rather than asking and then fetching: a short run is mostly such calls.
   */
  finishedJson(): string | null;
  /** A stepwise run (`kernel.stepwise`): performs its next step; true when the run is over. */
  advance(): boolean;
  /** The last step's code left a promise rejected with no handler (isolated-vm threw its reason after the call). */
  unhandledRejection(reason: string): void;
  /** The host cut a call off at the time limit: the run ends as `timeout`, keeping its output and process table. */
  timedOutJson(message: string): string;
}
