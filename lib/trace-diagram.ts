/**
 * A run's trace laid out as a sequence diagram: one lane per thread, one row
 * per scheduling step, blocked calls as gaps, data and messages as arrows
 * from writer to reader, and the run's deadlock and races pointed at.
 * Pure: it reads only the trace (and a race report when it has one), so the
 * CLI's `--json` output and the browser show the same run.
 */
import type { RaceReport, TraceEntry } from '@/kernel/types';

/** What the diagram is drawn from: a counterexample or a whole RunResult. */
export interface TraceRun {
  trace: TraceEntry[] | null;
  /** The run's race report; a counterexample carries none today. */
  races?: RaceReport[];
}

export interface Lane {
  /** The trace's thread key: `pid:tid`, or `host:pid:tid` off the first host. */
  key: string;
  /** `pid 2`, `pid 2 thread 1001`, with ` on 10.0.0.2` off the first host. */
  label: string;
  host: string | null;
  pid: number;
  tid: number;
}

export type StepKind = 'start' | 'call' | 'fork' | 'exec' | 'exit' | 'signal' | 'handler';

export interface DiagramStep {
  /** Position in the diagram, from 0; also the cursor's position. */
  row: number;
  /** The kernel's step number. */
  step: number;
  lane: number;
  kind: StepKind;
  call: string;
  /** The call as the program wrote it, arguments shortened: `read(3, 64)`. */
  text: string;
  /** What came of it: `→ "hello"`, `fails: …`, `blocks: …`, or ''. */
  outcome: string;
  args: unknown[];
  result: unknown;
  error: string | null;
  /** Why the call blocked at this step, or null. */
  blocked: string | null;
  /** A call that blocked earlier, tried again. */
  resumes: boolean;
}

/** A blocked call: its lane is hatched from its row until the thread runs again (null: never). */
export interface BlockedGap {
  lane: number;
  fromRow: number;
  toRow: number | null;
  detail: string;
}

export type ArrowKind = 'data' | 'message' | 'fork' | 'signal';

export interface Arrow {
  kind: ArrowKind;
  fromLane: number;
  fromRow: number;
  toLane: number;
  toRow: number;
  /** What it went through: `pipe 1`, `message queue 1`, `link from pid 3 to pid 2`, `SIGINT`, `fork`. */
  via: string;
  /** The data it carried, shortened (`"hello"`), or null for a fork or a signal. */
  carries: string | null;
}

export interface BlockedAtEnd {
  lane: number;
  row: number;
  call: string;
  /** What the call waits for, in the kernel's words (the same as the RunResult's deadlock finding). */
  detail: string;
  /** Lanes of the threads the detail names. */
  waitsFor: number[];
}

export interface Deadlock {
  blocked: BlockedAtEnd[];
  /** Lanes of one wait-for cycle, in order (one lane when a thread waits for itself); empty when none is named. */
  cycle: number[];
}

export interface RaceMark {
  segment: number;
  index: number;
  /** The rows of the two accesses, in trace order. */
  rows: number[];
  /** `store by pid 2 at step 12 and load by pid 3 at step 17`. */
  description: string;
}

/** A process seen to end: its lanes stop after `row`. */
export interface LaneEnd {
  lane: number;
  row: number;
  /** `exit 0`, `exit 1`, `killed by SIGINT`. */
  how: string;
}

export interface TraceDiagram {
  lanes: Lane[];
  steps: DiagramStep[];
  gaps: BlockedGap[];
  arrows: Arrow[];
  /** Ends of processes the trace reports: an exit call, or a parent's wait or waitpid. */
  ends: LaneEnd[];
  /** Set when the run ended with every remaining thread blocked. */
  deadlock: Deadlock | null;
  races: RaceMark[];
}

const SHORT_TEXT = 28;

/** A value as a student would write it, shortened so a box stays readable. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > SHORT_TEXT ? `${value.slice(0, SHORT_TEXT)}…` : value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    // Kernel handles read as what they are, not as their fields.
    if (typeof record.kind === 'string' && typeof record.id === 'number') return `${record.kind} ${record.id}`;
    if (typeof record.shmid === 'number' && typeof record.size === 'number') return `segment ${record.shmid}`;
  }
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 2 * SHORT_TEXT ? `${json.slice(0, 2 * SHORT_TEXT)}…` : json;
}

/** A thread key (`pid:tid`, `host:pid:tid`) as its lane, labelled `pid 2`, `pid 2 thread 1001`, `pid 2 on 10.0.0.2`. */
export function laneOf(key: string): Lane {
  const parts = key.split(':');
  const host = parts.length > 2 ? parts.slice(0, -2).join(':') : null;
  const pid = Number(parts[parts.length - 2]);
  const tid = Number(parts[parts.length - 1]);
  const label = `pid ${pid}${tid !== pid ? ` thread ${tid}` : ''}${host ? ` on ${host}` : ''}`;
  return { key, label, host, pid, tid };
}

/** The process a thread key belongs to: its key without the tid. */
function processOf(threadKey: string): string {
  return threadKey.slice(0, threadKey.lastIndexOf(':'));
}

/** A pid on the same host as `threadKey`, as a process key. */
function sameHost(threadKey: string, pid: number): string {
  const lane = laneOf(threadKey);
  return lane.host ? `${lane.host}:${pid}` : String(pid);
}

function kindOf(entry: TraceEntry): StepKind {
  if (entry.call === 'start') return 'start';
  if (entry.call === 'exec') return 'exec';
  if (entry.call === 'exit') return 'exit';
  if (entry.call === 'signal-handler') return 'handler';
  // The kernel notes a thread a signal ended as a `signal` step with no arguments.
  if (entry.call === 'signal' && entry.result === 'terminated' && !entry.args) return 'signal';
  if (entry.call === 'fork' || entry.call === 'thread') return entry.result === 0 ? 'start' : 'fork';
  return 'call';
}

function outcomeOf(entry: TraceEntry): string {
  if (entry.blocked) return `blocks: ${entry.blocked}`;
  if (entry.error) return `fails: ${entry.error}`;
  if (entry.call === 'signal' && !entry.args) return 'killed by a signal';
  if (entry.result === undefined) return '';
  if (entry.result === null) return '→ ok';
  return `→ ${formatValue(entry.result)}`;
}

/** One direction of a pipe, FIFO or socketpair: what was written and not yet read. */
interface Channel {
  label: string;
  pending: PendingWrite[];
}

/** A write call whose data is not all read yet; its rows are the steps it ran at. */
interface PendingWrite {
  lane: number;
  rows: number[];
  data: string;
  /** Characters of `data` a reader has taken. */
  taken: number;
}

/** What a descriptor reads from and writes to. */
interface OpenFile {
  reads: Channel | null;
  writes: Channel | null;
}

/**
 * Follows descriptors through pipe, socketpair, mkfifo/open, fork, dup,
 * dup2 and close, so a read can be paired with the writes it drained
 * (the kernel records no message for byte streams).
 */
class Descriptors {
  private readonly tables = new Map<string, Map<number, OpenFile>>();
  private readonly fifos = new Map<string, Channel>();
  private pipes = 0;
  private socketpairs = 0;

  table(process: string): Map<number, OpenFile> {
    let table = this.tables.get(process);
    if (!table) this.tables.set(process, (table = new Map()));
    return table;
  }

  /** Updates the tables for a step that completed; returns the channel a read or write used. */
  follow(entry: TraceEntry): { reads?: Channel; writes?: Channel } {
    const process = processOf(entry.thread);
    const fds = this.table(process);
    const args = entry.args ?? [];
    const done = entry.error === undefined && entry.blocked === undefined;
    switch (entry.call) {
      case 'pipe':
        if (done && Array.isArray(entry.result)) {
          const pipe: Channel = { label: `pipe ${++this.pipes}`, pending: [] };
          const [readEnd, writeEnd] = entry.result as number[];
          fds.set(readEnd, { reads: pipe, writes: null });
          fds.set(writeEnd, { reads: null, writes: pipe });
        }
        return {};
      case 'socketpair':
        if (done && Array.isArray(entry.result)) {
          const label = `socketpair ${++this.socketpairs}`;
          const there: Channel = { label, pending: [] };
          const back: Channel = { label, pending: [] };
          const [first, second] = entry.result as number[];
          fds.set(first, { reads: back, writes: there });
          fds.set(second, { reads: there, writes: back });
        }
        return {};
      case 'mkfifo': {
        const path = `${laneOf(entry.thread).host ?? ''}:${String(args[0])}`;
        if (done && !this.fifos.has(path)) this.fifos.set(path, { label: `FIFO ${String(args[0])}`, pending: [] });
        return {};
      }
      case 'open': {
        const fifo = this.fifos.get(`${laneOf(entry.thread).host ?? ''}:${String(args[0])}`);
        const mode = typeof args[1] === 'string' ? args[1] : 'r';
        if (done && fifo && typeof entry.result === 'number') {
          fds.set(entry.result, { reads: mode.includes('r') ? fifo : null, writes: /[wa]/.test(mode) ? fifo : null });
        }
        return {};
      }
      case 'fork':
        if (done && typeof entry.result === 'number' && entry.result > 0) {
          this.tables.set(sameHost(entry.thread, entry.result), new Map(fds));
        }
        return {};
      case 'dup':
        if (done && typeof entry.result === 'number') this.install(fds, args[0], entry.result);
        return {};
      case 'dup2':
        if (done && typeof entry.result === 'number') this.install(fds, args[0], entry.result);
        return {};
      case 'close':
        if (done) fds.delete(args[0] as number);
        return {};
      case 'read':
        return { reads: fds.get(args[0] as number)?.reads ?? undefined };
      case 'write':
        return { writes: fds.get(args[0] as number)?.writes ?? undefined };
      case 'print':
        return { writes: fds.get(1)?.writes ?? undefined };
      default:
        return {};
    }
  }

  private install(fds: Map<number, OpenFile>, from: unknown, to: number): void {
    const file = fds.get(from as number);
    if (file) fds.set(to, file);
    else fds.delete(to);
  }
}

/** The latest row of `lane` before `row` whose arguments hold `data`, else its latest row before `row`. */
function senderRow(steps: DiagramStep[], lane: number, row: number, data: unknown): number | null {
  const wanted = JSON.stringify(data);
  let latest: number | null = null;
  for (let r = row - 1; r >= 0; r--) {
    if (steps[r].lane !== lane) continue;
    latest ??= r;
    if (steps[r].args.some((arg) => JSON.stringify(arg) === wanted)) return r;
  }
  return latest;
}

/**
 * Pairs the text a read returned with the writes it came from: each piece
 * is taken from the oldest write whose unread data starts with it.
 */
function drain(channel: Channel, text: string, readLane: number, readRow: number): Arrow[] {
  const arrows: Arrow[] = [];
  let at = 0;
  while (at < text.length) {
    let best: { write: PendingWrite; length: number } | null = null;
    for (const write of channel.pending) {
      let length = 0;
      while (at + length < text.length && write.taken + length < write.data.length && text[at + length] === write.data[write.taken + length]) length++;
      if (length > (best?.length ?? 0)) best = { write, length };
    }
    if (!best) break;
    const { write, length } = best;
    const piece = write.data.slice(write.taken, write.taken + length);
    write.taken += length;
    if (write.taken === write.data.length) channel.pending.splice(channel.pending.indexOf(write), 1);
    at += length;
    // The writer's latest step before the read put these characters in: a blocked write fills the pipe as far as it can.
    const fromRow = write.rows.filter((r) => r < readRow).pop() ?? write.rows[0];
    arrows.push({ kind: 'data', fromLane: write.lane, fromRow, toLane: readLane, toRow: readRow, via: channel.label, carries: formatValue(piece) });
  }
  return arrows;
}

/**
 * Processes a blocked call's detail names, as process keys: the kernel says
 * `pid 2` on the first host and `pid 2 on 10.0.0.2` elsewhere, whoever waits.
 */
function namedProcesses(detail: string): string[] {
  return [...detail.matchAll(/\bpid (\d+)(?: on (\d+\.\d+\.\d+\.\d+))?/g)].map(([, pid, host]) => (host ? `${host}:${pid}` : pid));
}

/** One cycle of the wait-for graph among blocked lanes, found depth first; [] when there is none. */
function findCycle(blocked: BlockedAtEnd[]): number[] {
  const edges = new Map(blocked.map((b) => [b.lane, b.waitsFor.filter((lane) => blocked.some((other) => other.lane === lane))]));
  const path: number[] = [];
  const finished = new Set<number>();
  const visit = (lane: number): number[] | null => {
    const onPath = path.indexOf(lane);
    if (onPath >= 0) return path.slice(onPath);
    if (finished.has(lane)) return null;
    path.push(lane);
    for (const next of edges.get(lane) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    finished.add(lane);
    return null;
  };
  for (const { lane } of blocked) {
    const cycle = visit(lane);
    if (cycle) return cycle;
  }
  return [];
}

function raceMarks(races: RaceReport[], lanes: Lane[], steps: DiagramStep[]): RaceMark[] {
  return races.map((race) => {
    const rows = race.accesses
      .map((access) => steps.findIndex((s) => s.step === access.step && lanes[s.lane].pid === access.pid && lanes[s.lane].tid === access.tid))
      .filter((row) => row >= 0)
      .sort((a, b) => a - b);
    const description = race.accesses
      .map((a) => `${a.op} by pid ${a.pid}${a.tid !== a.pid ? ` thread ${a.tid}` : ''} at step ${a.step}`)
      .join(' and ');
    return { segment: race.segment, index: race.index, rows, description };
  });
}

export function layoutTrace(run: TraceRun): TraceDiagram {
  const trace = run.trace ?? [];
  const lanes: Lane[] = [];
  const laneIndex = new Map<string, number>();
  const steps: DiagramStep[] = [];
  const gaps: BlockedGap[] = [];
  const arrows: Arrow[] = [];
  const descriptors = new Descriptors();
  /** Per lane: the row of its latest step, and the write call it has in progress. */
  const lastRow = new Map<number, number>();
  const writing = new Map<number, PendingWrite>();
  /** A fork's or thread's row, waiting for the child's first step. */
  const spawnedBy = new Map<string, number>();
  /** A kill's row, waiting for the target's next step. */
  const signalledBy = new Map<string, { row: number; signal: string }>();

  const lane = (key: string): number => {
    let index = laneIndex.get(key);
    if (index === undefined) {
      index = lanes.push(laneOf(key)) - 1;
      laneIndex.set(key, index);
    }
    return index;
  };

  for (const entry of trace) {
    const row = steps.length;
    const at = lane(entry.thread);
    const previousRow = lastRow.get(at);
    const previous = previousRow === undefined ? undefined : steps[previousRow];
    const args = entry.args ?? [];
    const step: DiagramStep = {
      row,
      step: entry.step,
      lane: at,
      kind: kindOf(entry),
      call: entry.call,
      text: `${entry.call}(${args.map(formatValue).join(', ')})`,
      outcome: outcomeOf(entry),
      args,
      result: entry.result,
      error: entry.error ?? null,
      blocked: entry.blocked ?? null,
      resumes: previous?.blocked != null && previous.call === entry.call,
    };
    steps.push(step);
    if (previous?.blocked) gaps.find((gap) => gap.lane === at && gap.toRow === null)!.toRow = row;
    if (entry.blocked) gaps.push({ lane: at, fromRow: row, toRow: null, detail: entry.blocked });
    lastRow.set(at, row);

    // A new thread's first step ends the fork or thread call that made it.
    const process = processOf(entry.thread);
    const spawner = previous ? undefined : (spawnedBy.get(entry.thread) ?? spawnedBy.get(process));
    if (spawner !== undefined) {
      arrows.push({ kind: 'fork', fromLane: steps[spawner].lane, fromRow: spawner, toLane: at, toRow: row, via: steps[spawner].call, carries: null });
      spawnedBy.delete(entry.thread);
      spawnedBy.delete(process);
    }
    if (step.kind === 'fork' && typeof entry.result === 'number') {
      const child = entry.call === 'fork' ? sameHost(entry.thread, entry.result) : `${process}:${entry.result}`;
      spawnedBy.set(child, row);
    }
    const signal = signalledBy.get(process);
    if (signal && signal.row < row && (step.kind === 'handler' || step.kind === 'signal' || entry.error?.includes('EINTR'))) {
      arrows.push({ kind: 'signal', fromLane: steps[signal.row].lane, fromRow: signal.row, toLane: at, toRow: row, via: signal.signal, carries: null });
      signalledBy.delete(process);
    }
    if (entry.call === 'kill' && !entry.error && typeof args[0] === 'number') {
      signalledBy.set(sameHost(entry.thread, args[0]), { row, signal: String(args[1]) });
    }

    if (entry.message) {
      const from = laneIndex.get(entry.message.from);
      const fromRow = from === undefined ? null : senderRow(steps, from, row, entry.message.data);
      if (from !== undefined && fromRow !== null) {
        arrows.push({ kind: 'message', fromLane: from, fromRow, toLane: at, toRow: row, via: entry.message.channel, carries: formatValue(entry.message.data) });
      }
    }

    const used = descriptors.follow(entry);
    if (used.writes) {
      const data = String(entry.call === 'print' ? args[0] : args[1]);
      const inProgress = step.resumes ? writing.get(at) : undefined;
      if (inProgress) inProgress.rows.push(row);
      else if (!entry.error) {
        const write: PendingWrite = { lane: at, rows: [row], data, taken: 0 };
        used.writes.pending.push(write);
        writing.set(at, write);
      }
    }
    if (used.reads && typeof entry.result === 'string' && entry.result !== '') arrows.push(...drain(used.reads, entry.result, at, row));
  }

  const ends = laneEnds(trace, lanes, lastRow);

  const last = steps[steps.length - 1];
  let deadlock: Deadlock | null = null;
  if (last?.blocked) {
    const blocked: BlockedAtEnd[] = [];
    lanes.forEach((_, index) => {
      const final = steps[lastRow.get(index)!];
      if (!final.blocked) return;
      const named = namedProcesses(final.blocked);
      const waitsFor = lanes.flatMap((other, otherIndex) => (named.includes(processOf(other.key)) ? [otherIndex] : []));
      blocked.push({ lane: index, row: final.row, call: final.call, detail: final.blocked, waitsFor });
    });
    deadlock = { blocked, cycle: findCycle(blocked) };
  }

  return { lanes, steps, gaps, arrows, ends, deadlock, races: raceMarks(run.races ?? [], lanes, steps) };
}

/**
 * How processes ended, where the trace says so: their own exit call, or the
 * status a parent's wait collected (a return from main is seen only that way).
 */
function laneEnds(trace: TraceEntry[], lanes: Lane[], lastRow: Map<number, number>): LaneEnd[] {
  const how = new Map<string, string>();
  for (const entry of trace) {
    if (entry.call === 'exit') how.set(processOf(entry.thread), `exit ${String(entry.args?.[0] ?? 0)}`);
    const reaped = entry.result as { pid?: unknown; status?: unknown; signal?: unknown } | undefined;
    if ((entry.call === 'wait' || entry.call === 'waitpid') && reaped && typeof reaped.pid === 'number') {
      how.set(sameHost(entry.thread, reaped.pid), reaped.signal ? `killed by ${String(reaped.signal)}` : `exit ${String(reaped.status)}`);
    }
  }
  return lanes.flatMap((lane, index) => {
    const ended = how.get(processOf(lane.key));
    return ended === undefined ? [] : [{ lane: index, row: lastRow.get(index)!, how: ended }];
  });
}

/** Method names of `sys` and of shared-memory handles, by the trace's call name. */
const CALLED_AS: Record<string, string> = {
  shm_load: 'load',
  shm_store: 'store',
  shm_add: 'add',
  shm_compareExchange: 'compareExchange',
};

/**
 * Lines (from 1) of `code` that make `call`: the trace records no source
 * positions, so these are where the step may come from, not where it did.
 */
export function callSites(code: string, step: DiagramStep): number[] {
  if (step.kind === 'start' || step.kind === 'handler' || step.kind === 'signal') return [];
  const method = CALLED_AS[step.call] ?? step.call;
  const pattern = new RegExp(`\\.${method}\\s*\\(`);
  return code.split('\n').flatMap((line, index) => (pattern.test(line) ? [index + 1] : []));
}
