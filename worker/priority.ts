/**
 * The worker's own CPU priority. Linux keeps a nice value per thread and a new thread inherits
 * its creator's, so lowering the process's means lowering each thread it already has.
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Lowers every thread of this process to `niceness` (never raises one: that needs privileges). */
export function lowerOwnPriority(niceness: number): void {
  if (niceness <= getPriority()) return;
  for (const thread of readdirSync('/proc/self/task')) {
    try {
      setPriority(Number(thread), niceness);
    } catch {
      // A thread that ended since the listing has nothing to lower.
    }
  }
}
