/**
 * The runtime loaded into every sandbox context (bundled to dist/isolate-runtime.js). It sets up
 * the realm student code sees, freezes it, and hands the sandbox the means to drive one run.
 */
import { Kernel, SysError, type ModuleFactory, type RunOptions, type WireRunResult } from '../kernel';
import { hardenRealm } from './harden';
import { RUNTIME_FAILURE, type IsolateRunSettings, type IsolateRuntime } from './isolate-protocol';
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
/** The batch under way: what is left to run, and what has been run. */
let batch: { pending: IsolateRunSettings[]; modules: ModuleFactory[]; results: WireRunResult[]; stopAtStepLimit: boolean } | null = null;

function currentRun(): Kernel {
  if (!kernel) throw new Error('No run has started in this sandbox context.');
  return kernel;
}

function start(settings: IsolateRunSettings, modules: ModuleFactory[], onFinish: (() => void) | null): void {
  const startedAt = realNow();
  emptySymbolRegistry();
  // The copied-in settings object takes the two options made here (a batch's runs may share it: each
  // reads them as it starts, and runs one after another). A spread into a new literal, and a rest,
  // made V8 build fresh hidden classes at every run: a fifth of an empty run's cost.
  const options = settings.kernel as RunOptions;
  options.programs = settings.programs.map((program) => ({
    host: program.host, entry: program.entry, argv: program.argv, stdin: program.stdin, module: modules[program.moduleIndex],
  }));
  options.overBudget = () => realNow() - startedAt > settings.cpuBudgetMs;
  kernel = new Kernel(options);
  kernel.onFinish = onFinish;
  kernel.start();
}

/** Starts the batch's next run, or ends the batch. */
function continueBatch(): void {
  const current = batch!;
  if (kernel?.finished) {
    const result = kernel.wireResult();
    current.results.push(result);
    if (result.status === 'step-limit' && current.stopAtStepLimit) current.pending.length = 0;
  }
  const next = current.pending.shift();
  if (next) start(next, current.modules, continueBatch);
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
  startRun(settings, ...modules) {
    batch = null;
    start(settings, modules, null);
  },
  startBatch(settings, ...modules) {
    kernel = null;
    batch = { pending: [...settings], modules, results: [], stopAtStepLimit: settings.some((run) => run.stopBatchAtStepLimit === true) };
    continueBatch();
  },
  idle() {
    currentRun().idle();
  },
  finishedJson() {
    if (batch) return batch.pending.length === 0 && (kernel === null || kernel.finished) ? JSON.stringify(batch.results) : null;
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
