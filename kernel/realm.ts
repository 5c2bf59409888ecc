import type { Kernel } from './kernel';

/**
 * The run whose code is executing now. The sandbox points the realm's
 * Math.random, Date and console at `realm`, so a process sees its own seeded
 * generator, simulated time and debug log, and a fork's re-execution repeats
 * them exactly.
 */
let active: Kernel | null = null;

export function setActiveKernel(kernel: Kernel | null): void {
  active = kernel;
}

export const realm = Object.freeze({
  /** Math.random inside a run: the current process's seeded generator. */
  random(): number {
    return active ? active.processRandom() : 0.5;
  },
  /** Date.now inside a run: simulated milliseconds. */
  now(): number {
    return active ? active.processNow() : 0;
  },
  /** console.log inside a run: the run's debug log, not stdout. */
  log(line: string): void {
    active?.debugLog(line);
  },
});
