/**
 * Whether the machine has a core nobody else wants, so the sandbox child may spend it warming the
 * next isolate (grade.ts's warmUpNextRealm): the warm-up is a convenience, never worth slowing
 * another sandbox's grading or the web server.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * Runnable tasks other than the caller, from /proc/loadavg's fourth field (`running/total`, the
 * kernel's count at this instant, which includes the reader), or null when the text says nothing.
 */
export function otherRunnableTasks(loadavg: string): number | null {
  const running = /^\S+ \S+ \S+ (\d+)\//.exec(loadavg)?.[1];
  return running === undefined ? null : Math.max(0, Number(running) - 1);
}

/** True when fewer tasks than there are cores want to run besides this one; true too where Linux does not say (no /proc). */
export function aCoreIsIdle(cores = availableParallelism()): boolean {
  let loadavg: string;
  try {
    loadavg = readFileSync('/proc/loadavg', 'utf8');
  } catch {
    return true;
  }
  const others = otherRunnableTasks(loadavg);
  return others === null || others < cores;
}
