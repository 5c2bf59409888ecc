import { cloneForDelivery, traceValue, Uncopyable } from './clone';
import { SysError, sysError } from './errors';
import { footprint, ObjectNames } from './footprint';
import { History } from './fork';
import { encodeDecisions } from './decisions';
import { fromWire, unlessEmpty, unlessNone, unlessNull, wireChoices, wireProcess, wireShmLeaks, wireStdout, type WireRunResult } from './wire';
import { ChunkArena, ChunkedLog } from './log';
import { FileSystem } from './fs';
import { acquire, VectorClock } from './hb';
import { Host, Proc, type Image } from './proc';
import { PROGRAMS } from './bin';
import { Network } from './net';
import { mixSeed, Rng } from './rng';
import { RunQueue } from './runqueue';
import { createScheduler, NonPreemptive, type Scheduler } from './sched';
import { nextHandled, sendSignal, type Handler } from './signal';
import { setActiveKernel } from './realm';
import { createSys, formatArgs, groupMask, type Syscall } from './syscalls';
import { BLOCKED, GONE, PARTIAL, PENDING, Request, Thread, type Frame } from './thread';
import { TimerQueue } from './time';
import { MOST_STEPS_BETWEEN_POLLS } from './budget';
import { TerminalInput, TerminalOutput, capture } from './tty';
import type {
  BlockedThread, Group, OpenFdReport, ShmLeaks, StepChoice, ProgramSpec, RaceReport, RunOptions, RunResult, RunStatus, SignalName, TraceEntry,
} from './types';
import { FIRST_HOST, GROUPS } from './types';

export type KernelOptions = Required<Omit<RunOptions, 'programs' | 'pollBudget' | 'enable' | 'pauseBefore'>> & {
  enabled: ReadonlySet<Group>;
  pollBudget: (() => number) | null;
  pauseBefore: ((step: number) => boolean) | null;
};

const PROGRAM_NAMES = Object.keys(PROGRAMS);
const DEBUG_LOG_LIMIT = 64 * 1024;
/** The trace keeps this many entries (the last ones: where a run goes wrong). */
const TRACE_LIMIT = 20_000;
/** An already settled promise: `then` on it queues a microtask, the cheapest way to run code once the current turn ends. */
const SETTLED = Promise.resolve();
const NO_ARGS: readonly unknown[] = [];

function normalize(run: RunOptions): KernelOptions {
  return {
    schedule: run.schedule ?? 'rr',
    seed: run.seed ?? 1,
    pctDepth: run.pctDepth ?? 3,
    pctSteps: run.pctSteps ?? 200,
    decisions: run.decisions ?? [],
    enabled: new Set(run.enable === undefined || run.enable === 'all' ? GROUPS : run.enable),
    files: run.files ?? {},
    linkCapacity: run.linkCapacity ?? Infinity,
    mailboxCapacity: run.mailboxCapacity ?? 8,
    msgqueueCapacity: run.msgqueueCapacity ?? 8,
    pipeCapacity: run.pipeCapacity ?? 64,
    pipeBuf: run.pipeBuf ?? 16,
    maxProcs: run.maxProcs ?? 64,
    maxSteps: run.maxSteps ?? 100_000,
    outputLimit: run.outputLimit ?? 64 * 1024,
    trace: run.trace ?? false,
    detectRaces: run.detectRaces ?? true,
    network: run.network ?? {},
    socketCapacity: run.socketCapacity ?? 4096,
    hosts: run.hosts ?? [],
    recordChoices: run.recordChoices ?? false,
    recordChoicesFrom: run.recordChoicesFrom ?? 0,
    afterReplay: run.afterReplay ?? 'rr',
    stepwise: run.stepwise ?? false,
    pollBudget: run.pollBudget ?? null,
    pauseBefore: run.pauseBefore ?? null,
  };
}

/** What a run the kernel stopped at its CPU budget says (the sandbox says the same of a run that used more meanwhile). */
export const TIMEOUT_MESSAGE = 'The run used up its CPU time: an endless loop?';

/**
 * One run of the simulated machine. Every `sys` call hands control back here;
 * the scheduler picks the next thread, the kernel performs that thread's
 * pending call, and resumes it. Only one thread's code runs at a time, so a
 * seed (or a list of decisions) fixes the whole run.
 */
export class Kernel {
  readonly options: KernelOptions;
  /** options.enabled as a mask of groupBits: the step tests a bit rather than a Set. */
  private readonly enabledGroups: number;
  readonly hosts = new Map<string, Host>();
  /** Port tables of every host and the way datagrams travel between them. */
  readonly net = new Network(this);
  /** Live threads of live processes, in creation order. */
  readonly threads: Thread[] = [];
  readonly timers = new TimerQueue();
  readonly scheduler: Scheduler;
  /** Randomness of the machine itself (stream cuts, network faults), apart from scheduling. */
  readonly rng: Rng;
  /** Where this run's logs keep their entries; given back to the realm once the result is taken. */
  private readonly arena = new ChunkArena();
  /** The result of a finished run, taken once: its logs' memory then serves later runs. */
  private finalResult: WireRunResult | null = null;
  /** The gid of the thread chosen at each step; named by key only in the result. */
  private readonly chosen = new ChunkedLog<number>(this.arena);
  /** Step index → the I/O count the scheduler chose there, where it was not the usual one. */
  private readonly counts = new Map<number, number>();
  /** The step whose I/O count was chosen last: one choice per step. */
  private countedStep = 0;
  /** Thread gid → its key (fixed once the thread is adopted); index 0 is never a gid. */
  private readonly keys: string[] = [''];
  readonly trace: TraceEntry[] | null;
  /** The scheduler's options at each step from options.recordChoicesFrom on, when exhaustive exploration asks for them. */
  readonly choices: StepChoice[] | null;
  readonly output = { stdout: '', stderr: '' };
  readonly zombies: number[] = [];
  readonly openFds: OpenFdReport[] = [];
  /** Segments processes still had attached when they exited. */
  private readonly attachedAtExit: ShmLeaks['attachedAtExit'] = [];
  readonly races: RaceReport[] = [];
  /** Every process ever created, in order, for the report. */
  readonly procs: Proc[] = [];
  simTime = 0;
  steps = 0;
  /** The step at which the kernel next asks `pollBudget` (kernel/budget.ts). */
  private nextBudgetPoll = MOST_STEPS_BETWEEN_POLLS;
  /** The thread whose code is running now (or last ran); calls and Math.random belong to it. */
  running: Thread | null = null;
  /** The thread whose code was resumed last: what ran before the host saw a promise rejected with no handler. */
  private lastRan: Thread | null = null;
  /** Processes that exist (live or zombie), init excepted: the limit counts these. */
  procCount = 0;
  status: RunStatus | null = null;
  message: string | null = null;
  blocked: BlockedThread[] = [];
  /** The trace entry of the step being performed, where calls note what they moved. */
  current: TraceEntry | null = null;
  onFinish: (() => void) | null = null;
  /** Step mode: the threads that could run where `pauseBefore` stopped the run; null while it goes on. */
  paused: Thread[] | null = null;
  /** Trace entries dropped from the front to keep the trace bounded. */
  private traceDropped = 0;
  private dispatchQueued = false;
  /** The dispatch queued by queueDispatch, made once rather than a closure per call. */
  private readonly dispatchLater = (): void => {
    this.dispatchQueued = false;
    this.dispatch();
  };
  /** The resolving functions of the promise `enter` is making, handed out of its executor without a closure per call. */
  private resolveCall: (value: unknown) => void = () => undefined;
  private rejectCall: (error: unknown) => void = () => undefined;
  private readonly takeResolvers = (resolve: (value: unknown) => void, reject: (error: unknown) => void): void => {
    this.resolveCall = resolve;
    this.rejectCall = reject;
  };
  /** How this run's footprints name kernel objects; made when footprints are first recorded. */
  private objectNames: ObjectNames | null = null;
  /** The threads that can run now, as the scheduler chooses among them. */
  readonly runQueue = new RunQueue();
  /** Races are found only in shared memory: without it, or with detection off, threads keep no happens-before clocks. */
  private readonly detectsRaces: boolean;
  private nextGid = 1;
  private nextHandle = 1;
  private nextExitSeq = 1;
  private debugText = '';

  constructor(private readonly run: RunOptions) {
    this.options = normalize(run);
    this.enabledGroups = groupMask(this.options.enabled);
    this.detectsRaces = this.options.detectRaces && this.options.enabled.has('shm');
    this.scheduler = createScheduler({
      strategy: this.options.schedule, seed: this.options.seed, pctDepth: this.options.pctDepth,
      pctSteps: this.options.pctSteps, decisions: this.options.decisions, afterReplay: this.options.afterReplay,
    });
    this.rng = new Rng(mixSeed(this.options.seed, 0xda7a));
    this.trace = this.options.trace ? [] : null;
    this.choices = this.options.recordChoices ? [] : null;
  }

  get finished(): boolean {
    return this.status !== null;
  }

  /** Creates the first processes and starts scheduling; the run goes on in microtasks. */
  start(): void {
    setActiveKernel(this);
    this.host(FIRST_HOST);
    for (const addr of this.options.hosts) this.host(addr);
    for (const program of this.run.programs) this.startProgram(program);
    this.queueDispatch();
  }

  /** The host with this address, created on first use. */
  host(addr: string): Host {
    let host = this.hosts.get(addr);
    if (!host) {
      host = new Host(addr, this.hosts.size === 0, new FileSystem(this.options.files, PROGRAM_NAMES));
      this.hosts.set(addr, host);
    }
    return host;
  }

  private startProgram(program: ProgramSpec): void {
    const host = this.host(program.host ?? FIRST_HOST);
    const image: Image = { kind: 'module', factory: program.module, entry: program.entry ?? 'default', argv: program.argv ?? [] };
    const pid = host.nextPid;
    // Mixing in the host's place keeps first processes of different hosts (all pid 2) from sharing Math.random.
    const hostOrdinal = [...this.hosts.values()].indexOf(host) + 1;
    const proc = this.createProcess(host, host.init, image, new Rng(mixSeed(this.options.seed, pid, hostOrdinal)).state());
    proc.fds.install(0, new TerminalInput(program.stdin ?? ''));
    proc.fds.install(1, new TerminalOutput('stdout'));
    proc.fds.install(2, new TerminalOutput('stderr'));
    this.adopt(this.makeThread(proc, proc.pid, this.imageBody(proc)));
  }

  createProcess(host: Host, parent: Proc, image: Image | null, rngStart: number[]): Proc {
    const proc = new Proc(host, host.nextPid++, parent, image, rngStart);
    // Only a fork replays the history; with the 'proc' group (fork) disabled, nothing is recorded.
    if (this.options.enabled.has('proc')) proc.history = new History(new ChunkedLog(this.arena));
    host.procs.set(proc.pid, proc);
    parent.children.add(proc);
    this.procs.push(proc);
    this.procCount++;
    return proc;
  }

  /** A thread whose first step starts `body`; not yet known to the scheduler. */
  makeThread(proc: Proc, tid: number, body: () => unknown): Thread {
    // The start request is performed by step() itself, never resolved.
    const thread = new Thread(0, tid, proc, body, new Request('start', NO_ARGS), this.runQueue, this.detectsRaces ? new VectorClock() : VectorClock.INERT);
    if (!proc.main) proc.main = thread;
    return thread;
  }

  /** Makes a thread schedulable. */
  adopt(thread: Thread): void {
    thread.gid = this.nextGid++;
    this.keys[thread.gid] = thread.key;
    thread.clock.tick(thread.gid);
    thread.proc.threads.push(thread);
    this.threads.push(thread);
    this.scheduler.admit(thread);
    thread.reconsider();
  }

  /** The code a process's main thread runs: the student's export, or a /bin program. */
  imageBody(proc: Proc): () => unknown {
    const image = proc.image!;
    if (image.kind === 'program') return () => PROGRAMS[image.name](createSys(this, proc) as never, [...image.args]);
    return () => {
      const exports = image.factory();
      const main = exports?.[image.entry];
      if (typeof main !== 'function') {
        throw new Error(image.entry === 'default' ? 'the program has no default export to run as main' : `the program has no export '${image.entry}' to run`);
      }
      return main(createSys(this, proc), cloneForDelivery(image.argv));
    };
  }

  // ---- the gate: every sys call enters here ----

  /**
   * An asynchronous sys call from the running thread: it waits until the
   * scheduler performs it. `owner` is the process image whose `sys` was
   * called (absent for a kernel object's own methods): a call from code of
   * another process, or of an image that is gone, never acts for the runner.
   */
  enter(spec: Syscall, args: unknown[], owner?: SysOwner): Promise<unknown> {
    const call = spec.name;
    const thread = this.running;
    if (!thread || this.status !== null || thread.done) return new Promise(() => undefined);
    if (owner && (!owner.proc.alive || owner.proc.image !== owner.image)) return new Promise(() => undefined);
    if (owner && owner.proc !== thread.proc) {
      return Promise.reject(sysError('EINVAL', call, `${owner.proc.label} called while another process was running; await each sys call before starting the next`));
    }
    const frame = thread.top;
    if (frame.request) {
      return Promise.reject(sysError('EINVAL', call,
        `this thread is still waiting for ${frame.request.call}(); await each sys call before starting the next`));
    }
    let kept: unknown[];
    try {
      kept = keepArguments(call, args);
    } catch (error) {
      // print's formatting ran the program's own toJSON, in its own turn, and it threw.
      return Promise.reject(error instanceof Uncopyable ? sysError('EINVAL', call, error.message) : error);
    }
    const promise = new Promise(this.takeResolvers);
    thread.setRequest(frame, (frame.reuse ??= new Request(call, kept)).begin(spec, kept, this.resolveCall, this.rejectCall));
    this.handBack(thread);
    return promise;
  }

  /** A synchronous call (getpid, getppid, gettid, now): answered at once, and recorded so a fork repeats it. */
  enterSync<T>(call: string, owner: SysOwner | null, answer: (thread: Thread) => T): T | undefined {
    const thread = this.running;
    if (!thread || this.status !== null) return undefined;
    if (owner && (owner.proc !== thread.proc || owner.proc.image !== owner.image)) return undefined;
    if (thread.proc.replay) return thread.proc.replay.syncResult(call) as T;
    const value = answer(thread);
    thread.proc.history?.sync(call, value);
    return value;
  }

  private handBack(thread: Thread): void {
    if (thread.proc.replay) thread.proc.replay.handBack();
    else this.queueDispatch();
  }

  queueDispatch(): void {
    if (this.dispatchQueued) return;
    this.dispatchQueued = true;
    if (!this.options.stepwise) SETTLED.then(this.dispatchLater);
  }

  /**
   * Stepwise runs only: the host calls this once per step, each call a task
   * of its own, so that after each one it learns whether the code that ran
   * left a promise rejected with no handler. True when the run is over.
   */
  advance(): boolean {
    if (this.status === null) {
      if (this.dispatchQueued) this.dispatchLater();
      else this.idle();
    }
    return this.finished;
  }

  /**
   * The code that ran last left a promise rejected with no handler (an
   * async helper called without await, and it threw): as Node does, its
   * process dies with status 1 and `Uncaught (in promise) …` on its stderr.
   */
  unhandledRejection(reason: string): void {
    const proc = this.lastRan?.proc;
    if (this.status !== null || !proc?.alive || proc.replay) return;
    this.writeUncaught(proc, `Uncaught (in promise) ${reason}\n`);
    this.exitProcess(proc, 1, null);
    if (this.running && !this.running.proc.alive) this.running = null;
    this.queueDispatch();
  }

  /** Steps until some thread's code runs again (it will hand back) or the run ends. */
  private dispatch(): void {
    try {
      while (this.status === null) {
        const thread = this.pickNext();
        if (!thread) return;
        if (this.step(thread)) return;
      }
    } catch (error) {
      this.finish('crash', `The simulated kernel failed (this is not your fault): ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }

  /** Called when the isolate has nothing left to run but the run is not over: the running code awaits a promise no sys call settles. */
  idle(): void {
    if (this.status !== null || this.paused) return;
    const thread = this.running;
    if (thread?.proc.replay) return thread.proc.replay.idle();
    if (thread && !thread.done && thread.top.request === null) {
      thread.stalled = true;
      thread.proc.history?.stalled(thread.tid);
    }
    this.running = null;
    this.dispatch();
  }

  private pickNext(): Thread | null {
    for (;;) {
      const runnable = this.runQueue.threads;
      if (runnable.length > 0) {
        if (this.options.pauseBefore?.(this.steps + 1)) {
          this.paused = [...runnable];
          return null;
        }
        if (this.choices && this.steps >= this.options.recordChoicesFrom) this.recordChoice(runnable);
        return this.scheduler.choose(runnable, this.steps + 1);
      }
      if (this.threads.length === 0) {
        this.finish('ok', null);
        return null;
      }
      const at = this.timers.earliest();
      if (at === null) {
        this.finish('deadlock', null);
        return null;
      }
      this.simTime = Math.max(this.simTime, at);
      this.timers.fireDue(this.simTime);
    }
  }

  /** What exploration needs to know of this step's options. */
  private recordChoice(runnable: readonly Thread[]): void {
    const names = this.options.recordChoices === true ? (this.objectNames ??= new ObjectNames()) : null;
    const choice: StepChoice = {
      runnable: runnable.map((thread) => thread.key),
      footprints: runnable.map((thread) => (names ? footprint(thread, names) : [])),
    };
    const lastGid = this.chosen.length === 0 ? undefined : this.chosen.at(this.chosen.length - 1);
    const last = lastGid === undefined ? null : runnable.find((thread) => thread.gid === lastGid) ?? null;
    // How many steps in a row the last thread has run: past a limit, a spinner gives way (and spinning on is no new schedule).
    let streak = -1;
    for (let i = this.chosen.length - 1; i >= 0 && this.chosen.at(i) === lastGid && !NonPreemptive.spinning(streak); i--) streak++;
    const staying = NonPreemptive.staying(last, runnable, streak);
    if (staying) choice.staying = staying.key;
    else if (last && NonPreemptive.spinning(streak)) choice.spinning = last.key;
    this.choices!.push(choice);
  }

  /** Performs one scheduling decision; true when user code now runs and will hand back. */
  private step(thread: Thread): boolean {
    this.steps++;
    if (this.steps > this.options.maxSteps) {
      this.finish('step-limit', null);
      return true;
    }
    if (this.steps === this.nextBudgetPoll && this.options.pollBudget) {
      const stepsToNextPoll = this.options.pollBudget();
      if (stepsToNextPoll === 0) {
        this.finish('timeout', null);
        return true;
      }
      this.nextBudgetPoll = this.steps + stepsToNextPoll;
    }
    this.chosen.push(thread.gid);
    const proc = thread.proc;
    if (thread.isMain && proc.signals.pending.size > 0) {
      const handled = nextHandled(this, proc);
      if (!proc.alive) return this.noteGone(thread);
      if (handled) {
        this.runHandler(thread, handled.sig, handled.handler);
        return true;
      }
    }
    const request = thread.request!;
    this.current = this.trace ? this.noteStep(thread, request) : null;
    if (request.call === 'start') {
      this.enterCode(thread, thread.frames[0], thread.body);
      proc.history?.started(thread.tid);
      thread.answered(thread.frames[0]);
      this.running = this.lastRan = thread;
      return true;
    }
    const spec = request.spec!;
    if (request.interrupted && spec.onSignal === 'restart') request.interrupted = false;
    if (request.interrupted) {
      request.cleanup?.();
      // As in POSIX, a write the signal cut short reports what it moved; EINTR would make the caller send it twice.
      if (request.written > 0) {
        this.complete(thread, request, request.call === 'print' ? undefined : request.written);
        return true;
      }
      this.fail(thread, request, sysError('EINTR', request.call, 'the call was interrupted by a signal handler'));
      return true;
    }
    let outcome: unknown;
    try {
      // Groups restrict the student's code; the programs of /bin it execs are the system's.
      if ((spec.groupBit & this.enabledGroups) !== spec.groupBit && proc.image?.kind !== 'program') {
        throw sysError('ENOSYS', request.call, `${request.call}() is not available in this exercise`);
      }
      outcome = spec.run(this, thread, request);
    } catch (error) {
      if (!(error instanceof SysError)) throw error;
      request.cleanup?.();
      if (thread.done) return false;
      this.fail(thread, request, error);
      return true;
    }
    if (outcome === BLOCKED) {
      if (this.current) this.current.blocked = thread.blockDetail(this);
      return false;
    }
    if (outcome === GONE || outcome === PARTIAL) return false;
    if (outcome === PENDING) return true;
    this.complete(thread, request, outcome);
    return true;
  }

  private noteGone(thread: Thread): boolean {
    this.note({ step: this.steps, thread: thread.key, call: 'signal', result: 'terminated', simTimeMs: this.simTime });
    return false;
  }

  private noteStep(thread: Thread, request: Request): TraceEntry {
    const entry: TraceEntry = { step: this.steps, thread: thread.key, call: request.call, args: request.args.map(traceValue), simTimeMs: this.simTime };
    this.note(entry);
    return entry;
  }

  /** Adds to the trace, keeping only its last TRACE_LIMIT entries: a runaway run must not exhaust memory. */
  private note(entry: TraceEntry): void {
    if (!this.trace) return;
    this.trace.push(entry);
    if (this.trace.length >= 2 * TRACE_LIMIT) {
      this.traceDropped += this.trace.length - TRACE_LIMIT;
      this.trace.splice(0, this.trace.length - TRACE_LIMIT);
    }
  }

  /** Resolves the thread's pending call with `value`; its code runs next. */
  complete(thread: Thread, request: Request, value: unknown): void {
    thread.answered(thread.top);
    this.running = this.lastRan = thread;
    thread.proc.history?.result(thread.tid, request.call, value);
    if (this.current && this.current.step === this.steps) this.current.result = traceValue(value);
    request.resolve(request.spec?.sameProcess ? value : cloneForDelivery(value));
  }

  fail(thread: Thread, request: Request, error: SysError): void {
    thread.answered(thread.top);
    this.running = this.lastRan = thread;
    thread.proc.history?.error(thread.tid, request.call, { code: error.code, syscall: error.syscall, message: error.message });
    if (this.current && this.current.step === this.steps) this.current.error = error.message;
    request.reject(error);
  }

  private runHandler(thread: Thread, sig: SignalName, handler: Handler): void {
    const signals = thread.proc.signals;
    signals.pending.delete(sig);
    signals.handling.add(sig);
    acquire(thread, signals);
    const frame: Frame = { request: null, reuse: null, signal: sig, restart: handler.restart };
    thread.pushFrame(frame);
    this.running = this.lastRan = thread;
    thread.proc.history?.handler(thread.tid, sig);
    this.note({ step: this.steps, thread: thread.key, call: 'signal-handler', args: [sig], simTimeMs: this.simTime });
    this.enterCode(thread, frame, () => handler.fn(sig));
  }

  /** Runs user code for `frame` in a fresh microtask; its settling hands control back. */
  enterCode(thread: Thread, frame: Frame, code: () => unknown): void {
    Promise.resolve()
      .then(code)
      .then((value) => this.settle(thread, frame, value, false), (error) => this.settle(thread, frame, error, true));
  }

  private settle(thread: Thread, frame: Frame, value: unknown, threw: boolean): void {
    if (thread.done || !thread.proc.alive || this.status !== null) return;
    if (thread.proc.replay) return thread.proc.replay.settled(thread, frame, value, threw);
    try {
      if (frame.signal) this.endHandler(thread, frame, value, threw);
      else this.endBody(thread, value, threw);
    } catch (error) {
      this.finish('crash', `The simulated kernel failed (this is not your fault): ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return;
    }
    if (this.running === thread) this.running = null;
    this.queueDispatch();
  }

  private endHandler(thread: Thread, frame: Frame, value: unknown, threw: boolean): void {
    thread.removeFrame(frame);
    thread.proc.signals.handling.delete(frame.signal!);
    if (threw) return this.uncaught(thread.proc, value);
    const below = thread.top.request;
    if (below?.interrupted && frame.restart && below.spec?.onSignal !== 'eintr-always') below.interrupted = false;
  }

  private endBody(thread: Thread, value: unknown, threw: boolean): void {
    if (threw) return this.uncaught(thread.proc, value);
    if (thread.isMain) return this.exitProcess(thread.proc, exitStatusOf(value), null);
    thread.done = true;
    thread.result = value;
    this.forget(thread);
    thread.exited.wakeup();
  }

  /** An exception escaped: `Uncaught <message>` on fd 2, then exit status 1. */
  uncaught(proc: Proc, error: unknown): void {
    this.writeUncaught(proc, `Uncaught ${error instanceof Error ? error.message : String(error)}\n`);
    this.exitProcess(proc, 1, null);
  }

  /** What Node prints when an error escapes, on the process's fd 2, wherever that leads. */
  private writeUncaught(proc: Proc, text: string): void {
    const stderr = proc.fds.get(2);
    if (stderr instanceof TerminalOutput) capture(this, proc, stderr.stream, text);
    else if (stderr?.writable && proc.main) {
      // Not a step of the schedule: the message goes in whole, with no I/O count to choose.
      this.countedStep = this.steps;
      try {
        stderr.write(this, proc.main, new Request('write', [2, text]), text);
      } catch {
        // The message is best effort: fd 2 may be a closed pipe.
      }
    }
  }

  private forget(thread: Thread): void {
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
    const own = thread.proc.threads.indexOf(thread);
    if (own >= 0) thread.proc.threads.splice(own, 1);
  }

  /** Ends a process by a signal's default action. */
  terminate(proc: Proc, sig: SignalName): void {
    this.exitProcess(proc, null, sig);
  }

  /** The process ends: descriptors close, children go to init, the parent is told. */
  exitProcess(proc: Proc, status: number | null, signal: SignalName | null): void {
    if (!proc.alive) return;
    // A process a signal killed never had the chance to close or detach: only exits leak.
    if (signal === null) {
      for (const [fd, file] of proc.fds.open()) {
        if (fd > 2) this.openFds.push(this.located(proc, { pid: proc.pid, fd, kind: file.kind }));
      }
      for (const segment of proc.attached?.segments() ?? []) {
        this.attachedAtExit.push(this.located(proc, { pid: proc.pid, segment: segment.id }));
      }
    }
    // Whichever thread ends it, what every live thread did happens before the wait() that collects it.
    for (const thread of proc.threads) proc.exitClock.join(thread.clock);
    for (const thread of [...proc.threads]) {
      thread.kill();
      this.forget(thread);
    }
    proc.fds.closeAll(this, { gid: proc.main?.gid ?? 0, clock: proc.exitClock });
    this.timers.cancel(proc.alarm);
    for (const undo of proc.atExit.splice(0)) undo();
    proc.history = null;
    proc.replay = null;
    proc.state = 'zombie';
    proc.exitStatus = status;
    proc.exitSignal = signal;
    proc.exitSeq = this.nextExitSeq++;
    const init = proc.host.init;
    for (const child of proc.children) {
      if (child.state === 'zombie') this.zombies.push(child.pid);
      child.parent = init;
      init.children.add(child);
      if (child.state === 'zombie') this.reap(child);
    }
    proc.children.clear();
    const parent = proc.parent!;
    if (parent.isInit || parent.signals.disposition('SIGCHLD') === 'ignore') {
      this.reap(proc);
      parent.childExit.wakeup();
    } else {
      parent.childExit.wakeup();
      // A SIGCHLD handler runs after everything the child did, as a wait() would.
      parent.signals.clock.join(proc.exitClock);
      sendSignal(this, parent, 'SIGCHLD', null);
    }
  }

  /** wait() collected the zombie (or init did, or SIGCHLD is ignored). */
  reap(child: Proc): void {
    child.state = 'reaped';
    child.parent?.children.delete(child);
    this.procCount--;
  }

  /** A report about `proc`, naming its host when it is not the first. */
  private located<T extends object>(proc: Proc, report: T): T {
    if (!proc.host.primary) (report as { host?: string }).host = proc.host.addr;
    return report;
  }

  /** Names the processes and fds holding descriptions that match, for deadlock messages. */
  describeHolders(matches: (file: import('./fd').OpenFile) => boolean): string {
    const holders: string[] = [];
    for (const proc of this.procs) {
      if (!proc.alive) continue;
      for (const [fd, file] of proc.fds.open()) if (matches(file)) holders.push(`${proc.label} (fd ${fd})`);
    }
    return holders.length ? holders.join(', ') : 'no process';
  }

  /**
   * How many of `max` characters this step's I/O moves, as real kernels
   * choose: a read may return any count from 1 to what is there, a long write
   * may be split anywhere. The scheduler decides (round robin: `usual`), and a
   * count other than `usual` is part of the step's decision, so replay
   * repeats it. Only the step's own call chooses; later I/O in it is usual.
   */
  ioCount(max: number, usual: number): number {
    if (max <= 1 || this.countedStep === this.steps) return usual;
    this.countedStep = this.steps;
    const recorded = this.steps - 1 - this.options.recordChoicesFrom;
    const choice = recorded >= 0 ? this.choices?.[recorded] : undefined;
    if (choice) choice.ioMax = max;
    const count = this.scheduler.count(this.steps, max, usual);
    if (count !== usual) this.counts.set(this.steps - 1, count);
    return count;
  }

  /** Ids of kernel objects handed to programs (semaphores, mutexes, ...), counted per run so runs repeat exactly. */
  newHandleId(): number {
    return this.nextHandle++;
  }

  // ---- what the realm's globals see ----

  processRandom(): number {
    const proc = this.running?.proc;
    return proc ? proc.rng.next() : this.rng.next();
  }

  processNow(): number {
    return this.enterSync('now', null, () => this.simTime) ?? this.simTime;
  }

  debugLog(line: string): void {
    const thread = this.running;
    if (!thread || thread.proc.replay || this.debugText.length > DEBUG_LOG_LIMIT) return;
    this.debugText += `[${thread.proc.label}] ${line}\n`;
    if (this.debugText.length > DEBUG_LOG_LIMIT) this.debugText += '...[debug log truncated]\n';
  }

  // ---- the end ----

  finish(status: RunStatus, message: string | null): void {
    if (this.status !== null) return;
    this.status = status;
    if (status === 'deadlock') this.blocked = this.blockedThreads();
    if (status !== 'ok') {
      for (const proc of this.procs) {
        if (!proc.alive) continue;
        for (const child of proc.children) if (child.state === 'zombie') this.zombies.push(child.pid);
      }
    }
    this.message = message ?? this.defaultMessage(status);
    setActiveKernel(null);
    this.onFinish?.();
  }

  private blockedThreads(): BlockedThread[] {
    return this.threads.map((thread) => {
      const call = thread.request?.call ?? 'await';
      const detail = thread.proc.stopped ? `${thread.proc.label} is stopped and nobody sends it SIGCONT`
        : thread.stalled ? 'awaits a promise that no sys call will ever settle'
          : thread.blockDetail(this);
      return this.located(thread.proc, { pid: thread.proc.pid, tid: thread.tid, call, detail });
    });
  }

  private defaultMessage(status: RunStatus): string | null {
    switch (status) {
      case 'deadlock':
        return 'Deadlock: every thread is blocked and nothing can wake them. ' +
          this.blocked.map((b) => `pid ${b.pid}${b.host ? ` on ${b.host}` : ''}${b.tid !== b.pid ? ` (thread ${b.tid})` : ''} waits in ${b.call}: ${b.detail}.`).join(' ');
      case 'step-limit':
        return `The run took more than ${this.options.maxSteps} scheduling points: a livelock, or a busy wait that never ends?`;
      case 'timeout':
        return TIMEOUT_MESSAGE;
      default:
        return null;
    }
  }

  result(): RunResult {
    return fromWire(this.wireResult());
  }

  /** The result as the sandbox sends it out (see wire.ts): the host gives it back with fromWire. */
  wireResult(): WireRunResult {
    if (this.finalResult) return this.finalResult;
    const result = this.collectResult();
    if (this.status !== null) {
      this.finalResult = result;
      this.arena.release();
    }
    return result;
  }

  private collectResult(): WireRunResult {
    const traceLength = this.trace?.length ?? 0;
    const processes = this.procs.map((proc) => wireProcess({
      host: proc.host.addr, pid: proc.pid, ppid: proc.originalPpid,
      status: proc.alive ? null : proc.exitStatus, signal: proc.alive ? null : proc.exitSignal,
      stdout: proc.output.stdout.text, stderr: proc.output.stderr.text,
    }));
    const { stdout, stdoutOf } = wireStdout(this.output.stdout, processes);
    return {
      status: this.status ?? 'crash',
      message: unlessNull(this.message),
      stdout,
      stdoutOf,
      stderr: unlessEmpty(this.output.stderr),
      processes,
      deadlock: this.status === 'deadlock' ? { blocked: this.blocked } : undefined,
      races: unlessNone(this.races),
      zombies: unlessNone(this.zombies),
      openFds: unlessNone(this.openFds),
      shmLeaks: wireShmLeaks({
        attachedAtExit: this.attachedAtExit,
        notRemoved: [...this.hosts.values()].flatMap((host) => host.liveSegments().map((segment) => ({
          ...(host.primary ? {} : { host: host.addr }), segment: segment.id, key: segment.key,
        }))),
      }),
      steps: Math.min(this.steps, this.options.maxSteps),
      simTimeMs: this.simTime === 0 ? undefined : this.simTime,
      trace: unlessNull(traceLength > TRACE_LIMIT ? this.trace!.slice(-TRACE_LIMIT) : this.trace),
      traceDropped: this.traceDropped + Math.max(0, traceLength - TRACE_LIMIT) || undefined,
      decisions: encodeDecisions(this.chosen, this.keys, this.counts),
      seed: this.options.seed,
      strategy: this.options.schedule,
      debugLog: unlessEmpty(this.debugText),
      choices: this.choices ? wireChoices(this.choices, this.keys) : undefined,
    };
  }
}

/** Whose `sys` a call came through: a process, as the image it had then. */
export interface SysOwner {
  proc: Proc;
  image: Image | null;
}

/**
 * What the kernel keeps of a call's arguments, taken in the caller's own turn:
 * plain copies, so no getter, proxy trap or toJSON of the program runs inside a
 * kernel step, and a value cannot answer one thing to a check and another to
 * the copy. A thread's arguments stay shared (same address space); print's are
 * formatted here.
 */
function keepArguments(call: string, args: unknown[]): unknown[] {
  if (call === 'thread') return args;
  if (call === 'print') return [formatArgs(args)];
  // `args` is the caller's rest array, made for this call: the copies can take its places. A primitive is
  // its own copy and is left in place: element stores go V8's slow way in the sandbox's frozen realm.
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const copy = cloneForDelivery(arg);
    if (copy !== arg) args[i] = copy;
  }
  return args;
}

/** `return v` from main is exit(v ?? 0); statuses are 0 to 255 as in UNIX. */
export function exitStatusOf(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value & 0xff;
  return 0;
}
