/**
 * The runtime loaded into every sandbox context (bundled to dist/isolate-runtime.js). It sets up
 * the realm student code sees, freezes it, and hands the sandbox the means to drive one run.
 */
import { budgetPoll, Kernel, SysError, type ModuleFactory, type RunOptions, type WireRunResult } from '../kernel';
import { hardenRealm } from './harden';
import { RUNTIME_FAILURE, type IsolateBatch, type IsolateRunSettings, type IsolateRuntime } from './isolate-protocol';
import {
  installDebugConsole, installFixedSizeBuffers, installRecognisableProxies, installRunLocalSymbolRegistry, installSeededRandom, installSimulatedDate,
} from '../common/realm-hooks';

// The real clock, captured before Date starts showing simulated time: it measures the CPU budget.
const realNow = Date.now;

installSeededRandom();
installSimulatedDate();
installDebugConsole();
installFixedSizeBuffers();
installRecognisableProxies();
const emptySymbolRegistry = installRunLocalSymbolRegistry();
Object.defineProperty(globalThis, 'SysError', { value: SysError, writable: true, configurable: true });
hardenRealm(globalThis);

let kernel: Kernel | null = null;
/** The modules of the session whose runs come next. */
let heldModules: ModuleFactory[] = [];
/** The batch under way: its runs, the next to start, and the results of the runs made so far. */
let batch: { settings: IsolateBatch; next: number; results: WireRunResult[] } | null = null;

function currentRun(): Kernel {
  if (!kernel) throw new Error('No run has started in this sandbox context.');
  return kernel;
}

function start(settings: IsolateRunSettings, modules: ModuleFactory[], onFinish: (() => void) | null): void {
  emptySymbolRegistry();
  // The run's own settings object (copied in, or for a batch's run merged in continueBatch) takes the
  // two options made here. A spread into a new literal, and a rest, made V8 build fresh hidden classes
  // at every run: a fifth of an empty run's cost.
  const options = settings.kernel as RunOptions;
  options.programs = settings.programs.map((program) => ({
    host: program.host, entry: program.entry, argv: program.argv, stdin: program.stdin, module: modules[program.moduleIndex],
  }));
  options.pollBudget = budgetPoll(realNow, settings.cpuBudgetMs);
  kernel = new Kernel(options);
  kernel.onFinish = onFinish;
  kernel.start();
}

/** Starts the batch's next run, or ends the batch. */
function continueBatch(): void {
  const current = batch!;
  const { first, runs, stopAtStepLimit } = current.settings;
  if (kernel?.finished) {
    const result = kernel.wireResult();
    current.results.push(result);
    if (result.status === 'step-limit' && stopAtStepLimit) current.next = runs.length;
  }
  if (current.next === runs.length) return;
  const run = runs[current.next++];
  // The first run's settings under this run's changes. Read through a prototype instead, they made a batched run 1.14x dearer.
  const kernelSettings = Object.assign({}, first.kernel, run.kernel) as IsolateRunSettings['kernel'];
  start({ kernel: kernelSettings, programs: run.programs ?? first.programs, cpuBudgetMs: first.cpuBudgetMs }, heldModules, continueBatch);
}

/** The runtime's own exceptions carry RUNTIME_FAILURE; anything else the host sees thrown is a program's unhandled rejection. */
function guarded(entries: IsolateRuntime): IsolateRuntime {
  const wrapped: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(entries) as [string, (...args: unknown[]) => unknown][]) {
    wrapped[name] = (...args: unknown[]) => {
      try {
        return entry(...args);
      } catch (error) {
        throw new Error(`${RUNTIME_FAILURE}${error instanceof Error ? error.message : String(error)}`);
      }
    };
  }
  return wrapped as unknown as IsolateRuntime;
}

export const runtime: IsolateRuntime = guarded({
  holdModules(...modules) {
    heldModules = modules;
  },
  startRun(settings) {
    batch = null;
    start(settings, heldModules, null);
  },
  startBatch(settings) {
    kernel = null;
    batch = { settings, next: 0, results: [] };
    continueBatch();
  },
  idle() {
    currentRun().idle();
  },
  finishedJson() {
    if (batch) return batch.next === batch.settings.runs.length && (kernel === null || kernel.finished) ? JSON.stringify(batch.results) : null;
    const run = currentRun();
    return run.finished ? JSON.stringify(run.wireResult()) : null;
  },
  advance() {
    return currentRun().advance();
  },
  unhandledRejection(reason) {
    currentRun().unhandledRejection(reason);
  },
  timedOutJson(message) {
    const run = currentRun();
    run.finish('timeout', message);
    return JSON.stringify(run.wireResult());
  },
});
