/**
 * A RunResult as it leaves the sandbox, as JSON: the decisions encoded (decisions.ts), and every
 * field that is empty or as usual (no message, no races, the first host, ...) left undefined, which
 * JSON leaves out. A short run's result was 590 characters, and their JSON, written in the sandbox
 * and read by the host, a sixth of the run; most of it said that nothing happened. `fromWire`
 * gives back the RunResult, each field as it was; Kernel.result() goes through it too.
 */
import { decodeDecisions, type EncodedDecisions } from './decisions';
import { FIRST_HOST, type ProcessReport, type RunResult, type ShmLeaks } from './types';

/** A field that is empty or as usual is undefined, and leaves the JSON. */
type Sparse<T> = { [K in keyof T]?: T[K] };

export type WireProcessReport = Sparse<ProcessReport> & Pick<ProcessReport, 'pid' | 'ppid'>;

export type WireRunResult = Sparse<Omit<RunResult, 'decisions' | 'processes'>> & Pick<RunResult, 'status' | 'steps' | 'seed' | 'strategy'> & {
  processes: WireProcessReport[];
  decisions: EncodedDecisions;
};

/** `text` unless it is empty. */
export function unlessEmpty(text: string): string | undefined {
  return text === '' ? undefined : text;
}

/** `list` unless it has nothing in it. */
export function unlessNone<T>(list: T[]): T[] | undefined {
  return list.length === 0 ? undefined : list;
}

/** `value` unless it is null. */
export function unlessNull<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

export function wireProcess(report: ProcessReport): WireProcessReport {
  return {
    host: report.host === FIRST_HOST ? undefined : report.host,
    pid: report.pid,
    ppid: report.ppid,
    status: unlessNull(report.status),
    signal: unlessNull(report.signal),
    stdout: unlessEmpty(report.stdout),
    stderr: unlessEmpty(report.stderr),
  };
}

export function wireShmLeaks(leaks: ShmLeaks): ShmLeaks | undefined {
  return leaks.attachedAtExit.length === 0 && leaks.notRemoved.length === 0 ? undefined : leaks;
}

export function fromWire(wire: WireRunResult): RunResult {
  const result: RunResult = {
    status: wire.status,
    message: wire.message ?? null,
    stdout: wire.stdout ?? '',
    stderr: wire.stderr ?? '',
    processes: wire.processes.map((report) => ({
      host: report.host ?? FIRST_HOST,
      pid: report.pid,
      ppid: report.ppid,
      status: report.status ?? null,
      signal: report.signal ?? null,
      stdout: report.stdout ?? '',
      stderr: report.stderr ?? '',
    })),
    deadlock: wire.deadlock ?? null,
    races: wire.races ?? [],
    zombies: wire.zombies ?? [],
    openFds: wire.openFds ?? [],
    shmLeaks: wire.shmLeaks ?? { attachedAtExit: [], notRemoved: [] },
    steps: wire.steps,
    simTimeMs: wire.simTimeMs ?? 0,
    trace: wire.trace ?? null,
    traceDropped: wire.traceDropped ?? 0,
    decisions: decodeDecisions(wire.decisions),
    seed: wire.seed,
    strategy: wire.strategy,
    debugLog: wire.debugLog ?? '',
  };
  if (wire.choices) result.choices = wire.choices;
  return result;
}
