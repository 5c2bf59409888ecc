/** Public shapes of the kernel: what a run is given and what it reports. */

export const SIGNALS = [
  'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGABRT', 'SIGKILL', 'SIGSEGV', 'SIGPIPE', 'SIGALRM',
  'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
] as const;
export type SignalName = (typeof SIGNALS)[number];

export const GROUPS = [
  'proc', 'fd', 'pipe', 'signal', 'thread', 'sync', 'time', 'msgqueue', 'message', 'mailbox', 'shm', 'socket',
] as const;
export type Group = (typeof GROUPS)[number];

export type Strategy = 'rr' | 'random' | 'pct' | 'replay';

/** A module instance's exports; calling the factory again gives a fresh address space. */
export type ModuleExports = Record<string, unknown>;
export type ModuleFactory = () => ModuleExports;

/** The address of the first host, where a program runs unless it names another. */
export const FIRST_HOST = '10.0.0.1';

/** One program the run starts as a first user process on a host. */
export interface ProgramSpec {
  host?: string;
  /** The export to run as `main`; `default` unless the exercise names another. */
  entry?: string;
  argv?: unknown[];
  stdin?: string;
  module: ModuleFactory;
}

/** Network faults for inet datagrams between hosts, as probabilities chosen by the seed. */
export interface NetworkFaults {
  loss?: number;
  duplicate?: number;
  reorder?: number;
}

export interface RunOptions {
  programs: ProgramSpec[];
  schedule?: Strategy;
  seed?: number;
  /** PCT: the bug depth d (d - 1 priority change points). */
  pctDepth?: number;
  /** PCT: how many steps the change points are spread over. */
  pctSteps?: number;
  /** For `replay`: the thread chosen at each step, as in the trace, with `@count` where its I/O moved an unusual count. */
  decisions?: string[];
  enable?: 'all' | Group[];
  /** Files of the simulated file system; relative paths are under /home. */
  files?: Record<string, string>;
  linkCapacity?: number;
  mailboxCapacity?: number;
  msgqueueCapacity?: number;
  pipeCapacity?: number;
  pipeBuf?: number;
  maxProcs?: number;
  maxSteps?: number;
  /** Characters kept of each process's stdout and stderr. */
  outputLimit?: number;
  /** Record the trace (replay needs only the decisions, which are always kept). */
  trace?: boolean;
  /** Data-race detection on shared memory. */
  detectRaces?: boolean;
  network?: NetworkFaults;
  /** Characters each direction of a stream socket connection holds before send blocks (default 4096). */
  socketCapacity?: number;
  /** Extra host addresses with no program (the first program's host is 10.0.0.1). */
  hosts?: string[];
  /**
   * Record, at every step, the runnable threads and what their pending calls
   * touch (exhaustive exploration); 'runnable': the threads alone.
   */
  recordChoices?: boolean | 'runnable';
  /** With `recordChoices`: the first step (counted from 0) recorded; exploration reads no step of the prefix it replays. */
  recordChoicesFrom?: number;
  /** Replay: past the decisions, go on round robin (default) or without preemption (bounded search). */
  afterReplay?: 'rr' | 'nonpreemptive';
  /**
   * Each step waits for the host to call \`Kernel.advance()\`: the sandbox runs
   * so when a program leaves promises rejected with no handler, to learn after
   * which step each happened.
   */
  stepwise?: boolean;
  /**
   * The sandbox's CPU budget, polled by the kernel (kernel/budget.ts's budgetPoll makes one): 0 ends
   * the run as `timeout`, otherwise it says how many steps to take before the next poll.
   */
  pollBudget?: () => number;
  /**
   * Step mode (the browser's Run panel): asked at every scheduling point with the number of the step
   * about to be taken; true leaves the run open there, nothing performed, its runnable threads in `Kernel.paused`.
   */
  pauseBefore?: (step: number) => boolean;
}

export type RunStatus = 'ok' | 'deadlock' | 'step-limit' | 'timeout' | 'memory-limit' | 'compile-error' | 'crash';

export interface ProcessReport {
  host: string;
  pid: number;
  ppid: number;
  status: number | null;
  signal: SignalName | null;
  stdout: string;
  stderr: string;
}

export interface BlockedThread {
  host?: string;
  pid: number;
  tid: number;
  call: string;
  detail: string;
}

export interface RaceAccess {
  host?: string;
  pid: number;
  tid: number;
  op: string;
  step: number;
}

export interface RaceReport {
  segment: number;
  index: number;
  accesses: RaceAccess[];
}

export interface OpenFdReport {
  host?: string;
  pid: number;
  fd: number;
  kind: string;
}

/** One step of the trace: the thread the scheduler chose and what it did. */
export interface TraceEntry {
  step: number;
  /** The chosen thread as `pid:tid` (prefixed with `host:` off the first host). */
  thread: string;
  call: string;
  args?: unknown[];
  result?: unknown;
  error?: string;
  /** Why the call blocked, when it did. */
  blocked?: string;
  /** A message, datagram or stream segment this step moved, for drawing arrows. */
  message?: { from: string; to: string; channel: string; data: unknown };
  simTimeMs?: number;
}

/** The scheduler's options at one step, for exhaustive exploration. */
export interface StepChoice {
  /** Runnable threads, as `pid:tid` keys. */
  runnable: string[];
  /** For each runnable thread, the keys of what its pending call touches ('*': anything); empty lists with recordChoices 'runnable'. */
  footprints: string[][];
  /** The chosen thread's I/O could move 1 to this many characters (absent: no such choice). */
  ioMax?: number;
  /** The thread that ran last, when it could go on without a preemption (absent: any choice is free). */
  staying?: string;
  /** The thread that ran last has run so many steps in a row that it spins: it gives way, and letting it spin on is no new schedule. */
  spinning?: string;
}

/** Shared memory a run left behind. */
export interface ShmLeaks {
  /** Segments a process still had attached when it exited (a process a signal killed is not counted). */
  attachedAtExit: { host?: string; pid: number; segment: number }[];
  /** Segments nobody removed with shmctl(IPC_RMID) by the end of the run. */
  notRemoved: { host?: string; segment: number; key: string | number }[];
}

export interface RunResult {
  status: RunStatus;
  message: string | null;
  stdout: string;
  stderr: string;
  processes: ProcessReport[];
  deadlock: { blocked: BlockedThread[] } | null;
  races: RaceReport[];
  zombies: number[];
  openFds: OpenFdReport[];
  shmLeaks: ShmLeaks;
  steps: number;
  simTimeMs: number;
  trace: TraceEntry[] | null;
  /** How many entries were dropped from the front of a very long trace (it keeps the last 20,000). */
  traceDropped: number;
  /** Every scheduling decision: what `replay` needs to reproduce the run. */
  decisions: string[];
  seed: number;
  strategy: Strategy;
  /** What console.log wrote, for the student's eyes only. */
  debugLog: string;
  /** With `recordChoices`: the options the scheduler had at each step from `recordChoicesFrom` on (choices[0] is that step's). */
  choices?: StepChoice[];
}
