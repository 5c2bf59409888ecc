/** RunResults the sandbox reports itself, when the kernel could not finish the run. */
import type { RunResult, RunStatus } from '../kernel';
import type { KernelSettings, SandboxLimits } from './job';

/** A result with every key present and nothing run: output is lost when the isolate had to go. */
export function resultWithoutRun(status: RunStatus, message: string, settings: KernelSettings): RunResult {
  return {
    status,
    message,
    stdout: '',
    stderr: '',
    processes: [],
    deadlock: null,
    races: [],
    zombies: [],
    openFds: [],
    shmLeaks: { attachedAtExit: [], notRemoved: [] },
    steps: 0,
    simTimeMs: 0,
    trace: null,
    traceDropped: 0,
    decisions: [],
    seed: settings.seed ?? 1,
    strategy: settings.schedule ?? 'rr',
    debugLog: '',
  };
}

export function timeoutResult(limits: SandboxLimits, settings: KernelSettings): RunResult {
  return resultWithoutRun(
    'timeout',
    `The program used more than ${limits.cpuMs} ms of CPU time; a loop that never makes a system call never ends.`,
    settings,
  );
}

export function memoryLimitResult(limits: SandboxLimits, settings: KernelSettings): RunResult {
  return resultWithoutRun('memory-limit', `The program used more than ${limits.memoryMb} MiB of memory.`, settings);
}

export function crashResult(error: unknown, settings: KernelSettings): RunResult {
  const reason = error instanceof Error ? error.message : String(error);
  return resultWithoutRun('crash', `The grader failed (not your program's fault): ${reason}`, settings);
}
