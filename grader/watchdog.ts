/**
 * The sandbox client's watchdog: it ends a job whose child process (with everything it started:
 * the walls' shell, bubblewrap, Node) has used more CPU time than the job may, read from
 * /proc/<pid>/stat, so a busy machine slows a grading without cutting it; and, as a backstop for
 * a child that hangs without computing, one that has taken far more wall time than that.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { WALL_TIME_PER_CPU_BUDGET } from '../common/job';

/** Linux reports a process's CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const MS_PER_CLOCK_TICK = 10;
/** How often the watchdog looks at the child's CPU time: reading /proc for a few processes costs well under a millisecond. */
const CHECK_EVERY_MS = 200;

/** What a job may use before its child is killed. */
export interface JobAllowance {
  /** CPU time of the child's whole process tree. */
  cpuMs: number;
  /** Wall time: the backstop for a child that hangs without using CPU. */
  wallMs: number;
}

/** The allowance for a job that may use `cpuMs` of CPU: the backstop gives it a tenth of a core, as a run gets. */
export function allowanceFor(cpuMs: number): JobAllowance {
  return { cpuMs, wallMs: WALL_TIME_PER_CPU_BUDGET * cpuMs };
}

/**
 * CPU milliseconds used so far by one process (all its threads) and by the children it has reaped,
 * or null once it is gone.
 */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 to 17 of proc(5), utime, stime, cutime and cstime; this slice starts at field 3.
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return ticks * MS_PER_CLOCK_TICK;
  } catch {
    return null;
  }
}

/** The processes `pid` started (each of its threads keeps its own list). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children;
  }
  for (const thread of threads) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${thread}/children`, 'utf8').split(' ')) {
        if (child.trim() !== '') children.push(Number(child));
      }
    } catch {
      // The thread ended meanwhile.
    }
  }
  return children;
}

/**
 * CPU milliseconds used by `pid` and every process under it, or null when this system does not say
 * (no /proc): the watchdog then goes by wall time alone. A process that has ended counts through
 * its parent once reaped (cutime), and as a zombie until then.
 */
export function processTreeCpuMs(pid: number): number | null {
  const own = processCpuMs(pid);
  if (own === null) return null;
  let total = own;
  for (const child of childrenOf(pid)) total += processTreeCpuMs(child) ?? 0;
  return total;
}

/** Why the watchdog fired. */
export type Overrun = 'cpu' | 'wall';

/**
 * Calls `expire` once the process tree of `pid` has used `allowance.cpuMs` of CPU time from now,
 * or `allowance.wallMs` have passed; returns the function that stops watching.
 */
export function watch(pid: number, allowance: JobAllowance, expire: (why: Overrun) => void): () => void {
  const cpuAtStart = processTreeCpuMs(pid);
  const wallTimer = setTimeout(() => finish('wall'), cpuAtStart === null ? allowance.cpuMs : allowance.wallMs);
  const cpuTimer = cpuAtStart === null ? null : setInterval(() => {
    const used = processTreeCpuMs(pid);
    if (used !== null && used - cpuAtStart > allowance.cpuMs) finish('cpu');
  }, CHECK_EVERY_MS);
  function stop(): void {
    clearTimeout(wallTimer);
    if (cpuTimer) clearInterval(cpuTimer);
  }
  function finish(why: Overrun): void {
    stop();
    expire(why);
  }
  return stop;
}
