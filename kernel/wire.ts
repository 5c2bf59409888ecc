/**
 * A RunResult as it leaves the sandbox, as JSON: the decisions encoded (decisions.ts), and every
 * field that is empty or as usual (no message, no races, the first host, ...) left undefined, which
 * JSON leaves out. A short run's result was 590 characters, and their JSON, written in the sandbox
 * and read by the host, a sixth of the run; most of it said that nothing happened. `fromWire`
 * gives back the RunResult, each field as it was; Kernel.result() goes through it too.
 */
import { decodeDecisions, gidCharacter, gidOfCharacter, gidsFitCharacters, type EncodedDecisions } from './decisions';
import { FIRST_HOST, type ProcessReport, type RunResult, type ShmLeaks, type StepChoice } from './types';

/** A field that is empty or as usual is undefined, and leaves the JSON. */
type Sparse<T> = { [K in keyof T]?: T[K] };

export type WireProcessReport = Sparse<ProcessReport> & Pick<ProcessReport, 'pid' | 'ppid'>;

export type WireRunResult = Sparse<Omit<RunResult, 'decisions' | 'processes' | 'choices'>> & Pick<RunResult, 'status' | 'steps' | 'seed' | 'strategy'> & {
  processes: WireProcessReport[];
  /** In place of `stdout`: the index of the process that wrote all of it (see wireStdout). */
  stdoutOf?: number;
  decisions: EncodedDecisions;
  choices?: WireChoices | StepChoice[];
};

/**
 * Exploration's StepChoices as columns, each thread its decisions character (decisions.ts: the
 * gid's, named by the decisions' keys): a grading's runs carried 50 characters of JSON per step
 * for them, 2.2 MB of a reliable-transfer grading's 2.8 MB. Where gids outgrow characters,
 * StepChoices travel as they are.
 */
export interface WireChoices {
  /** Per step, its runnable threads' characters. */
  runnable: string[];
  /** A character per step: the thread that could stay, or gid 0's for none. */
  staying: string;
  /** As `staying`, for the spinning thread; absent when none spun. */
  spinning?: string;
  /** Step index and the I/O count's bound, where the step had one. */
  ioMax?: [number, number][];
  /** Per step, as StepChoice has them; absent when every list is empty (recordChoices 'runnable'). */
  footprints?: string[][][];
}

const NO_THREAD = gidCharacter(0);

/** `keys`: the thread key by gid, as the decisions carry them. */
export function wireChoices(choices: StepChoice[], keys: readonly string[]): WireChoices | StepChoice[] {
  if (!gidsFitCharacters(keys)) return choices;
  // A key names one thread at a time; a thread that exec'd shares its key with its successor, and either gid reads back as that key.
  const characters = new Map<string, string>();
  for (let gid = 1; gid < keys.length; gid++) characters.set(keys[gid], gidCharacter(gid));
  const characterOf = (key: string | undefined): string => (key === undefined ? NO_THREAD : characters.get(key)!);
  const runnable: string[] = [];
  let staying = '';
  let spinning = '';
  let spun = false;
  const ioMax: [number, number][] = [];
  let footprinted = false;
  for (let step = 0; step < choices.length; step++) {
    const choice = choices[step];
    let threads = '';
    for (const key of choice.runnable) threads += characterOf(key);
    runnable.push(threads);
    staying += characterOf(choice.staying);
    spinning += characterOf(choice.spinning);
    spun ||= choice.spinning !== undefined;
    if (choice.ioMax !== undefined) ioMax.push([step, choice.ioMax]);
    for (const footprint of choice.footprints) footprinted ||= footprint.length > 0;
  }
  return {
    runnable,
    staying,
    spinning: spun ? spinning : undefined,
    ioMax: unlessNone(ioMax),
    footprints: footprinted ? choices.map((choice) => choice.footprints) : undefined,
  };
}

function choicesFromWire(wire: WireChoices | StepChoice[], keys: readonly string[]): StepChoice[] {
  if (Array.isArray(wire)) return wire;
  const choices = wire.runnable.map((threads, step): StepChoice => {
    const runnable: string[] = [];
    for (let i = 0; i < threads.length; i++) runnable.push(keys[gidOfCharacter(threads, i)]);
    return { runnable, footprints: wire.footprints?.[step] ?? runnable.map(() => []) };
  });
  for (let step = 0; step < choices.length; step++) {
    if (wire.staying[step] !== NO_THREAD) choices[step].staying = keys[gidOfCharacter(wire.staying, step)];
    if (wire.spinning !== undefined && wire.spinning[step] !== NO_THREAD) choices[step].spinning = keys[gidOfCharacter(wire.spinning, step)];
  }
  for (const [step, max] of wire.ioMax ?? []) choices[step].ioMax = max;
  return choices;
}

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

/**
 * The run's stdout as the wire carries it: left out when one process wrote all of it (the usual
 * case), and named by that process's index instead, whose own stdout has the text. A grading's
 * results carried most of what was printed twice, a fifth of their JSON.
 */
export function wireStdout(stdout: string, processes: readonly WireProcessReport[]): Pick<WireRunResult, 'stdout' | 'stdoutOf'> {
  if (stdout === '') return { stdout: undefined, stdoutOf: undefined };
  const writer = processes.findIndex((report) => report.stdout === stdout);
  return writer < 0 ? { stdout, stdoutOf: undefined } : { stdout: undefined, stdoutOf: writer };
}

export function wireShmLeaks(leaks: ShmLeaks): ShmLeaks | undefined {
  return leaks.attachedAtExit.length === 0 && leaks.notRemoved.length === 0 ? undefined : leaks;
}

export function fromWire(wire: WireRunResult): RunResult {
  const result: RunResult = {
    status: wire.status,
    message: wire.message ?? null,
    stdout: wire.stdout ?? (wire.stdoutOf === undefined ? '' : wire.processes[wire.stdoutOf].stdout ?? ''),
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
  if (wire.choices) result.choices = choicesFromWire(wire.choices, wire.decisions.keys);
  return result;
}
