/**
 * The runtime loaded into every sandbox context (bundled to dist/isolate-runtime.js). It sets up
 * the realm student code sees, freezes it, and hands the sandbox the means to drive one run.
 */
import { Kernel, SysError, type RunOptions } from '../kernel';
import { hardenRealm } from './harden';
import type { IsolateRuntime } from './isolate-protocol';
import { installDebugConsole, installFixedSizeBuffers, installSeededRandom, installSimulatedDate } from './realm-hooks';

// The real clock, captured before Date starts showing simulated time: it measures the CPU budget.
const realNow = Date.now;

installSeededRandom();
installSimulatedDate();
installDebugConsole();
installFixedSizeBuffers();
Object.defineProperty(globalThis, 'SysError', { value: SysError, writable: true, configurable: true });
hardenRealm(globalThis);

let kernel: Kernel | null = null;

function currentRun(): Kernel {
  if (!kernel) throw new Error('No run has started in this sandbox context.');
  return kernel;
}

export const runtime: IsolateRuntime = {
  startRun(settings, ...modules) {
    const startedAt = realNow();
    const options: RunOptions = {
      ...settings.kernel,
      programs: settings.programs.map(({ moduleIndex, ...program }) => ({ ...program, module: modules[moduleIndex] })),
      overBudget: () => realNow() - startedAt > settings.cpuBudgetMs,
    };
    kernel = new Kernel(options);
    kernel.start();
  },
  idle() {
    currentRun().idle();
  },
  finished() {
    return currentRun().finished;
  },
  resultJson() {
    return JSON.stringify(currentRun().result());
  },
};
