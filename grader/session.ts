/**
 * A session: a submission's modules (one, or one per host for `run --host`)
 * in a hardened isolate context holding the kernel, in which a test suite
 * runs hundreds of schedules, or `rendezvous run` runs one. Each
 * run is driven with synchronous calls (a few microseconds each; every call
 * returns only once the isolate's microtasks have drained), and each call
 * that can run the program's code carries the run's time limit, so an endless
 * loop costs the run, not the process.
 *
 * Every grading gets a fresh realm (an isolate and its one hardened context),
 * retired when the session closes and disposed once its result is answered,
 * so nothing of one submission can reach the next. Making one takes about 8 ms
 * and happens ahead of need, while the previous results are written. What a
 * fresh realm costs is V8's JIT: its kernel runs unoptimised for about five
 * gradings. So while the process is
 * idle the spare realm is warmed with trusted code (`openWarmUp`, see
 * grade.ts's warmUpNextRealm), and a grading that arrives takes it as it is.
 * `gradingsPerIsolate` lets a realm serve several clean gradings instead; it
 * is retired sooner after a run was cut off (a microtask may still be queued,
 * and a context is never created in a used isolate), after a run ended as
 * timeout, memory-limit or crash, and when its heap holds more than half its
 * limit after a grading.
 *
 * A run's limit is the CPU time it uses. The kernel and isolated-vm's timeout
 * stop a run by wall time; a run stopped before it used its CPU budget (the
 * machine was busy) runs again with more wall time, up to runWallLimitMs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ivm from 'isolated-vm';
import { TIMEOUT_MESSAGE, type ModuleFactory, type RunResult } from '../kernel';
import { fromWire, type WireRunResult } from '../kernel/wire';
import { compileWithinLimit, startCompiler } from './compiler';
import { aCoreIsIdle } from './idle-core';
import type { SourceFile } from './exercise';
import type { RunManyOptions, RunRequest, Runner } from './harness';
import { RUNTIME_FAILURE, type IsolateBatch, type IsolateProgram, type IsolateRunSettings, type IsolateRuntime } from './isolate-protocol';
import { DEFAULT_GRADINGS_PER_ISOLATE, resolveLimits, runWallLimitMs, type SandboxLimits } from '../common/job';
import { crashResult, memoryLimitResult, timeoutResult } from '../common/run-result';

const RUNTIME_BUNDLE = path.join(__dirname, '..', 'dist', 'isolate-runtime.js');
/**
 * How far past its budget a retry's CPU time may go before the run counts as timed out: the same work costs
 * more CPU time on a shared core (an honest run that took at most 0.8 of its budget alone took more than all
 * of it there, in grader/cpu-budget.test.ts), and a busy machine must not time out honest code.
 */
const RETRY_CPU_TOLERANCE = 2;
/** The kernel ends a run itself at its wall allowance; the hard stop waits this much longer for code that never yields. */
const HARD_STOP_GRACE_MS = 100;
/** Loading and freezing the runtime takes a few milliseconds; more means the machine is starved, not that code is stuck. */
const RUNTIME_LOAD_LIMIT_MS = 5_000;
/** A heap fuller than this after a grading retires the realm: the next submission gets all of its limit. */
const RETIRING_HEAP_SHARE = 0.5;
/** Run statuses after which the realm is retired: the run may have left something half done in it. */
const TAINTING_STATUSES: ReadonlySet<RunResult['status']> = new Set(['timeout', 'memory-limit', 'crash']);

let runtimeSource: string | null = null;
/** V8's compilation cache for the runtime bundle, made by the first isolate: later ones skip parsing it. */
let runtimeCache: ivm.ExternalCopy<ArrayBuffer> | null = null;
let gradingsPerIsolate = DEFAULT_GRADINGS_PER_ISOLATE;
let realmsMade = 0;

/** How many gradings one isolate may serve (1: a fresh isolate for every grading). */
export function configureIsolates(options: { gradingsPerIsolate: number }): void {
  if (!Number.isInteger(options.gradingsPerIsolate) || options.gradingsPerIsolate < 1) {
    throw new Error(`gradingsPerIsolate must be a whole number of at least 1, not ${options.gradingsPerIsolate}`);
  }
  gradingsPerIsolate = options.gradingsPerIsolate;
}

/** An isolate with the runtime loaded in its one hardened context, and the runtime's entry points bound. */
interface Realm {
  /** Tells realms apart: every realm made gets the next number. */
  serial: number;
  isolate: ivm.Isolate;
  memoryMb: number;
  context: ivm.Context;
  /** Sessions that have closed in this realm. */
  gradings: number;
  /** Warm-up gradings of trusted code completed in this realm while it waited as the spare. */
  warmUps: number;
  /** Serves no more sessions; its isolate is disposed once the work under way has been answered. */
  retired: boolean;
  /** The session whose modules the runtime holds (see holdModules). */
  modulesOf: Bound | null;
  holdModules: ivm.Reference<IsolateRuntime['holdModules']>;
  startRun: ivm.Reference<IsolateRuntime['startRun']>;
  startBatch: ivm.Reference<IsolateRuntime['startBatch']>;
  idle: ivm.Reference<IsolateRuntime['idle']>;
  finishedJson: ivm.Reference<IsolateRuntime['finishedJson']>;
  advance: ivm.Reference<IsolateRuntime['advance']>;
  unhandledRejection: ivm.Reference<IsolateRuntime['unhandledRejection']>;
  timedOutJson: ivm.Reference<IsolateRuntime['timedOutJson']>;
}

/** A submission's module compiled to a script that evaluates to its factory. */
interface CompiledModule {
  fileName: string;
  script: string;
}

/** A session's realm and its modules' factories there. */
interface Bound {
  realm: Realm;
  factories: ivm.Reference<ModuleFactory>[];
}

/** Realms whose isolates have not been disposed yet: serving, spare, or retired and waiting. */
const undisposed = new Set<Realm>();

/** The serial numbers of the realms whose isolates are not yet disposed: tells tests that none lingers. */
export function undisposedRealms(): number[] {
  return [...undisposed].map((realm) => realm.serial);
}

function makeRealm(memoryMb: number): Realm {
  const isolate = new ivm.Isolate({ memoryLimit: memoryMb });
  try {
    runtimeSource ??= readFileSync(RUNTIME_BUNDLE, 'utf8');
    const script = isolate.compileScriptSync(runtimeSource, {
      filename: 'rendezvous-runtime.js',
      ...(runtimeCache ? { cachedData: runtimeCache } : { produceCachedData: true }),
    });
    const produced = (script as ivm.Script & ivm.CachedDataResult).cachedData;
    if (!runtimeCache && produced) runtimeCache = produced;
    // The isolate is new: no program has run in it, so nothing queued can run during these calls.
    const context = isolate.createContextSync();
    const runtime: ivm.Reference<IsolateRuntime> = script.runSync(context, { reference: true, release: true, timeout: RUNTIME_LOAD_LIMIT_MS });
    const realm: Realm = {
      serial: ++realmsMade,
      isolate,
      memoryMb,
      context,
      gradings: 0,
      warmUps: 0,
      retired: false,
      modulesOf: null,
      holdModules: runtime.getSync('holdModules', { reference: true }),
      startRun: runtime.getSync('startRun', { reference: true }),
      startBatch: runtime.getSync('startBatch', { reference: true }),
      idle: runtime.getSync('idle', { reference: true }),
      finishedJson: runtime.getSync('finishedJson', { reference: true }),
      advance: runtime.getSync('advance', { reference: true }),
      unhandledRejection: runtime.getSync('unhandledRejection', { reference: true }),
      timedOutJson: runtime.getSync('timedOutJson', { reference: true }),
    };
    undisposed.add(realm);
    return realm;
  } catch (error) {
    isolate.dispose();
    throw error;
  }
}

/** The realm sessions are opened in, per memory limit, and one made ahead of need for when one retires. */
const current = new Map<number, Realm>();
let spare: Realm | null = null;
let spareScheduled = false;
/** How many times a grading took the spare: a warm-up under way in it stops when this moves. */
let sparesTaken = 0;
/**
 * Gradings that warm a spare realm. V8 still optimises kernel functions in the sixth to the
 * fifteenth (the small ones called a few times per run need that many calls), and a grading after
 * twenty warm-ups took 1.36x less wall time than one after five. Twenty take about 1.7 s, five 0.6 s.
 */
const WARM_UP_GRADINGS = 20;

function takeRealm(memoryMb: number): Realm {
  const serving = current.get(memoryMb);
  if (serving && usable(serving)) return serving;
  const ready = spare?.memoryMb === memoryMb && usable(spare) ? spare : null;
  if (ready) {
    spare = null;
    sparesTaken++;
  }
  const realm = ready ?? makeRealm(memoryMb);
  current.set(memoryMb, realm);
  return realm;
}

/** The spare realm for `memoryMb`, made now if it is not ready. */
function spareRealm(memoryMb: number): Realm {
  if (spare?.memoryMb !== memoryMb || !usable(spare)) {
    if (spare) disposeRealm(spare);
    spare = makeRealm(memoryMb);
  }
  return spare;
}

/** Changes whenever a grading takes the spare realm. */
export function spareGeneration(): number {
  return sparesTaken;
}

/** The next grading's realm has not yet been warmed by enough trusted gradings (see grade.ts's warmUpNextRealm). */
export function spareNeedsWarmUp(memoryMb: number): boolean {
  return spare?.memoryMb !== memoryMb || !usable(spare) || spare.warmUps < WARM_UP_GRADINGS;
}

/** A warm-up of the spare realm under way. */
interface Warming {
  /** The spare generation it began in: it stops, between batches, once a grading took that realm. */
  since: number;
  /** Whether a core is free for it now (otherwise it waits, see idle-core.ts). */
  coreIsIdle: () => boolean;
}

/** A warm-up waiting for an idle core looks again this often (a job that arrives meanwhile takes the realm without waiting for it). */
const BUSY_MACHINE_RECHECK_MS = 100;

/** A warm-up's realm was taken by a grading: the warm-up stops. */
class WarmUpInterrupted extends Error {
  constructor() {
    super('A grading took the realm this warm-up was warming.');
  }
}

/** Makes the next realm once the work under way has been answered (a macrotask runs after it). */
function prepareSpare(memoryMb: number): void {
  if (spareScheduled || (spare && spare.memoryMb === memoryMb)) return;
  spareScheduled = true;
  setImmediate(() => {
    spareScheduled = false;
    if (spare && spare.memoryMb === memoryMb) return;
    if (spare) disposeRealm(spare);
    spare = makeRealm(memoryMb);
  });
}

/** Gets a process ready to grade: the compiler loaded, and a realm for the first submission. */
export function prepareSandbox(memoryMb = resolveLimits().memoryMb): Promise<void> {
  prepareSpare(memoryMb);
  return startCompiler();
}

/**
 * Ends a realm: no session runs in it again, and its isolate goes with everything the programs left
 * queued. Disposing a used isolate takes milliseconds (its heap is unmapped), so that waits for the
 * next macrotask, after the result under way has been answered, and comes before the next realm is made.
 */
function retire(realm: Realm): void {
  if (!realm.retired) setImmediate(() => disposeRealm(realm));
  realm.retired = true;
  if (spare === realm) spare = null;
  if (current.get(realm.memoryMb) === realm) current.delete(realm.memoryMb);
  prepareSpare(realm.memoryMb);
}

function heapNearlyFull(realm: Realm): boolean {
  const { used_heap_size: used, heap_size_limit: limit } = realm.isolate.getHeapStatisticsSync();
  return used > RETIRING_HEAP_SHARE * limit;
}

// isolated-vm's errors may come from another realm than ours (Jest's, for one): no instanceof.
function messageOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error ? String((error as { message: unknown }).message) : String(error);
}

function isTimeout(error: unknown): boolean {
  return /timed out/i.test(messageOf(error));
}

/** What isolated-vm threw after a call that left a promise rejected with no handler: neither a limit nor the runtime's own failure. */
function isUnhandledRejection(error: unknown, realm: Realm): boolean {
  return !realm.isolate.isDisposed && !isTimeout(error) && !messageOf(error).startsWith(RUNTIME_FAILURE);
}

function disposeRealm(realm: Realm): void {
  undisposed.delete(realm);
  if (!realm.isolate.isDisposed) realm.isolate.dispose();
}

/** A realm a session may run in: neither retired nor disposed (V8 disposes an isolate that ran out of memory). */
function usable(realm: Realm): boolean {
  return !realm.retired && !realm.isolate.isDisposed;
}

/** Written out field by field: a rest or a spread here gave V8 new hidden classes to build at every run. */
function isolateSettings(request: RunRequest, wallAllowanceMs: number): IsolateRunSettings {
  return { kernel: request.settings, programs: isolatePrograms(request.programs), cpuBudgetMs: wallAllowanceMs };
}

function isolatePrograms(programs: RunRequest['programs']): IsolateProgram[] {
  return programs.map((program) => ({
    host: program.host, entry: program.entry, argv: program.argv, stdin: program.stdin, moduleIndex: program.module ?? 0,
  }));
}

/**
 * `requests` as one IsolateBatch. A run's settings are compared with the first's by identity: a
 * test's runs spread its base request, so what they do not change is the very same value.
 */
function isolateBatch(requests: RunRequest[], wallAllowanceMs: number, stopAtStepLimit: boolean): IsolateBatch {
  const [first] = requests;
  const base: Record<string, unknown> = first.settings;
  const runs = requests.map((request) => {
    const settings: Record<string, unknown> = request.settings;
    const kernel: Record<string, unknown> = {};
    for (const key in settings) if (settings[key] !== base[key]) kernel[key] = settings[key];
    for (const key in base) if (!(key in settings)) kernel[key] = undefined;
    return request.programs === first.programs ? { kernel } : { kernel, programs: isolatePrograms(request.programs) };
  });
  return { first: isolateSettings(first, wallAllowanceMs), runs, stopAtStepLimit };
}

/**
 * A reading is a system call (getrusage, summing every thread). Two per run made a short run (a
 * 50-step producer/consumer, one run per call) 1.2-1.3 times slower, far more than the 3 µs the
 * call itself takes; so the reading that opens a run's account may be one taken this long ago.
 * Being older, it can only make the run's account larger.
 */
const CPU_READING_REUSE_MS = 0.5;
const lastCpuReading = { atMs: -Infinity, cpuMs: 0 };

/**
 * CPU time this process has used, in milliseconds. A run's calls block the process, so what it
 * uses meanwhile is the run's (with V8's helper threads). isolated-vm's own `isolate.cpuTime`
 * counts wall time in this build (a spin of 1 s on a core shared with four busy processes reads 1 s).
 */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  lastCpuReading.cpuMs = (user + system) / 1000;
  lastCpuReading.atMs = performance.now();
  return lastCpuReading.cpuMs;
}

/** processCpuMs as read at most `maxAgeMs` ago (of wall time). */
export function recentProcessCpuMs(maxAgeMs = CPU_READING_REUSE_MS): number {
  return performance.now() - lastCpuReading.atMs <= maxAgeMs ? lastCpuReading.cpuMs : processCpuMs();
}

/**
 * What the realm's run or batch produced, once over: a stall (every thread awaits what no sys call settles) is settled until it is.
 * Asking runs none of the program's code, so that call alone has no time limit: the timed call before it returned only once
 * the microtasks had drained, and the result holds only the kernel's own copies (sandbox.test.ts pins both). A timed call
 * arms isolated-vm's timer thread, which wakes at every expiry: with two per run, a run per call took 1.1 times as long.
 */
function finishedJson(realm: Realm, timeout: number): string {
  for (;;) {
    const json = realm.finishedJson.applySync(undefined, []);
    if (json !== null) return json;
    realm.idle.applySync(undefined, [], { timeout });
  }
}

/**
 * What an attempt's run counts as. A retry's wall allowance is past the budget: one that used well over its
 * budget of CPU time meanwhile (a drop in the load gave it the core) times out, whatever it reached, as it
 * would have on an idle machine.
 */
export function judgedAttempt(result: RunResult, cpuMs: number | null, limits: SandboxLimits): RunResult {
  if (result.status === 'timeout' || cpuMs === null || cpuMs < RETRY_CPU_TOLERANCE * limits.cpuMs) return result;
  return { ...result, status: 'timeout', message: TIMEOUT_MESSAGE };
}

/** One attempt at a run: its result, and the CPU and wall time it took. */
interface Attempt {
  result: RunResult;
  /** isolated-vm's timeout cut the run off (the kernel did not stop it itself). */
  cutOff: boolean;
  /** Measured for a timeout (was the run starved of CPU?) and for a retry (did it use more than its budget?); null otherwise. */
  cpuMs: number | null;
  wallMs: number;
}

export class GradingSession implements Runner {
  /** The realm and this submission's module factories in it; rebuilt after a run was cut off. */
  private bound: Bound | null = null;
  /** A run ended in a way that may have left something in the realm: it retires when the session closes. */
  private tainted = false;
  /** Runs this session performed, for the benchmark and the worker's phase timings. */
  runCount = 0;

  /** The realm this session's runs go to, by its serial number (null once closed): tells tests which sessions shared one. */
  get realmSerial(): number | null {
    return this.bound?.realm.serial ?? null;
  }

  /** @param warming null for a grading; set for a warm-up of trusted code in the spare realm. */
  private constructor(private readonly modules: CompiledModule[], readonly limits: SandboxLimits, private readonly warming: Warming | null) {}

  /**
   * Compiles the submission's modules (a run's programs name theirs by index,
   * the first by default); a syntax error or a forbidden import is returned as a sentence.
   */
  static open(modules: SourceFile[], limits: Partial<SandboxLimits> = {}): Promise<GradingSession | { compileError: string }> {
    return GradingSession.compile(modules, limits, null);
  }

  /**
   * A session of trusted code (an exercise's reference solution) in the spare realm, which warms
   * V8's JIT for the next submission. It does not count as a grading, lets the event loop turn
   * before every batch, waits while `coreIsIdle` says other work wants every core, and throws
   * WarmUpInterrupted once a grading has taken the realm.
   */
  static openWarmUp(modules: SourceFile[], limits: Partial<SandboxLimits> = {}, coreIsIdle: () => boolean = aCoreIsIdle): Promise<GradingSession | { compileError: string }> {
    return GradingSession.compile(modules, limits, { since: sparesTaken, coreIsIdle });
  }

  private static async compile(modules: SourceFile[], limits: Partial<SandboxLimits>, warming: Warming | null): Promise<GradingSession | { compileError: string }> {
    const compiled: CompiledModule[] = [];
    for (const { source, fileName } of modules) {
      const module = await compileWithinLimit(source, fileName);
      if (!module.ok) return { compileError: module.message };
      compiled.push({ fileName, script: module.script });
    }
    const session = new GradingSession(compiled, resolveLimits(limits), warming);
    const problem = session.bind();
    if (typeof problem === 'string') {
      session.close();
      return { compileError: problem };
    }
    return session;
  }

  /**
   * Runs a batch in one call into the isolate. The batch shares one run's time
   * limit; if it had to be cut off, it runs again one run at a time, so the
   * run that never ends is the one reported (runs are deterministic). A run the
   * kernel stopped as timeout runs again alone too: only its own CPU time counts.
   */
  async runMany(requests: RunRequest[], options: RunManyOptions = {}): Promise<RunResult[]> {
    if (this.warming !== null) await this.yieldToOtherWork(this.warming);
    if (requests.length <= 1) return requests.map((request) => this.runOne(request));
    const stopAtStepLimit = options.stopAtStepLimit === true;
    const bound = this.bind();
    if (typeof bound === 'string') return requests.map((request) => crashResult(new Error(bound), request.settings));
    const { realm } = bound;
    const timeout = this.limits.cpuMs + HARD_STOP_GRACE_MS;
    let results: RunResult[];
    try {
      const batch = isolateBatch(requests, this.limits.cpuMs, stopAtStepLimit);
      realm.startBatch.applySync(undefined, [batch], { timeout, arguments: { copy: true } });
      results = (JSON.parse(finishedJson(realm, timeout)) as WireRunResult[]).map(fromWire);
    } catch (error) {
      // An unhandled rejection leaves the realm as it was; anything else may have left it half done.
      if (!isUnhandledRejection(error, realm)) this.discard(realm);
      const alone: RunResult[] = [];
      for (const request of requests) {
        const result = this.runOne(request);
        alone.push(result);
        if (stopAtStepLimit && result.status === 'step-limit') break;
      }
      return alone;
    }
    this.runCount += results.length;
    return results.map((result, index) => {
      if (result.status === 'timeout') {
        this.runCount--;
        return this.runAlone(requests[index], result);
      }
      if (TAINTING_STATUSES.has(result.status)) this.tainted = true;
      return result;
    });
  }

  /**
   * One run, limited by the CPU time it uses: a run stopped before its budget
   * because the machine was busy (its wall time ran out first) runs again with
   * more wall time, up to `runWallLimitMs`. Runs are deterministic, so the
   * attempt that finishes is the run.
   */
  runOne(request: RunRequest): RunResult {
    return this.runAlone(request, null);
  }

  /**
   * runOne, given the kernel's own timeout result from an earlier attempt, if any: when the
   * run then times out for good but was cut off (on a busy machine the kernel's check, every
   * 256 steps, can come after the cut-off), the kernel's account is reported, with its output.
   */
  private runAlone(request: RunRequest, stoppedByKernel: RunResult | null): RunResult {
    this.runCount++;
    const wallLimitMs = runWallLimitMs(this.limits);
    let wallSpentMs = 0;
    let allowanceMs = this.limits.cpuMs;
    let kernelTimeout = stoppedByKernel;
    for (;;) {
      const attempt = this.attempt(request, allowanceMs);
      wallSpentMs += attempt.wallMs;
      const result = judgedAttempt(attempt.result, attempt.cpuMs, this.limits);
      if (result.status === 'timeout' && !attempt.cutOff) kernelTimeout = result;
      const starved = result.status === 'timeout' && attempt.cpuMs !== null && attempt.cpuMs < this.limits.cpuMs && wallSpentMs < wallLimitMs;
      if (!starved) {
        if (TAINTING_STATUSES.has(result.status)) this.tainted = true;
        return result.status === 'timeout' && attempt.cutOff && kernelTimeout ? kernelTimeout : result;
      }
      // The next attempt's hard stop comes up to half its allowance later (see attempt): all within the wall limit.
      allowanceMs = Math.ceil(Math.min(2 * allowanceMs, (wallLimitMs - wallSpentMs) / 1.5));
    }
  }

  /**
   * Runs `request` once with `allowanceMs` of wall time (the kernel stops it then, or the hard stop
   * just after). A program that leaves a promise rejected with no handler makes isolated-vm throw
   * its reason after the call: the run is then made again stepwise, so that the process whose code
   * ran in that step dies of it, as in Node, rather than the grader reporting a failure of its own.
   */
  private attempt(request: RunRequest, allowanceMs: number, stepwise = false): Attempt {
    const settings = request.settings;
    const startedAt = performance.now();
    const bound = this.bind();
    if (typeof bound === 'string') return { result: crashResult(new Error(bound), settings), cutOff: false, cpuMs: null, wallMs: 0 };
    const { realm } = bound;
    // A reading at most a hundredth of the budget old: even a tiny budget's account stays close.
    const cpuBefore = recentProcessCpuMs(Math.min(CPU_READING_REUSE_MS, this.limits.cpuMs / 100));
    const spent = (result: RunResult, cutOff = false): Attempt => ({
      result, cutOff, wallMs: performance.now() - startedAt,
      cpuMs: result.status === 'timeout' || allowanceMs > this.limits.cpuMs ? processCpuMs() - cpuBefore : null,
    });
    // On a busy machine the kernel's own check (every 256 steps) comes late too: a retry's hard stop waits in proportion.
    const graceMs = allowanceMs > this.limits.cpuMs ? Math.max(HARD_STOP_GRACE_MS, Math.ceil(allowanceMs / 2)) : HARD_STOP_GRACE_MS;
    const timeout = allowanceMs + graceMs;
    try {
      const run = stepwise ? { programs: request.programs, settings: { ...settings, stepwise } } : request;
      // Copied by the call itself (structured clone, as an ExternalCopy would), without a handle object made and released per run.
      realm.startRun.applySync(undefined, [isolateSettings(run, allowanceMs)], { timeout, arguments: { copy: true } });
      if (stepwise) {
        for (;;) {
          try {
            if (realm.advance.applySync(undefined, [], { timeout })) break;
          } catch (error) {
            if (!isUnhandledRejection(error, realm)) throw error;
            realm.unhandledRejection.applySync(undefined, [messageOf(error)], { timeout });
          }
        }
      }
      return spent(fromWire(JSON.parse(finishedJson(realm, timeout)) as WireRunResult));
    } catch (error) {
      if (!stepwise && isUnhandledRejection(error, realm)) return this.attempt(request, allowanceMs, true);
      const outOfMemory = realm.isolate.isDisposed;
      const timedOut = !outOfMemory && isTimeout(error);
      // A run cut off at its time limit keeps the output and process table it had, when the realm still answers.
      const kept = timedOut ? this.resultAfterTimeout(realm, settings) : null;
      this.discard(realm);
      const result = outOfMemory ? memoryLimitResult(this.limits, settings) : timedOut ? (kept ?? timeoutResult(this.limits, settings)) : crashResult(error, settings);
      return spent(result, timedOut);
    }
  }

  /** What the cut-off run had (output, process table), as a timeout whatever the kernel had concluded: code still ran past its end. */
  private resultAfterTimeout(realm: Realm, settings: RunRequest['settings']): RunResult | null {
    const message = timeoutResult(this.limits, settings).message!;
    try {
      const kept = fromWire(JSON.parse(realm.timedOutJson.applySync(undefined, [message], { timeout: HARD_STOP_GRACE_MS })) as WireRunResult);
      return kept.status === 'timeout' ? kept : { ...kept, status: 'timeout', message };
    } catch {
      return null;
    }
  }

  /** A warm-up's turn: other work first (a job that arrives takes the realm, and the warm-up stops), and only on an idle core. */
  private async yieldToOtherWork({ since, coreIsIdle }: Warming): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (sparesTaken === since && !coreIsIdle()) await new Promise((resolve) => setTimeout(resolve, BUSY_MACHINE_RECHECK_MS));
    if (sparesTaken !== since) throw new WarmUpInterrupted();
  }

  /** Lets go of this submission's modules; the realm serves the next submission unless it must retire. */
  close(): void {
    const bound = this.bound;
    if (!bound) return;
    const { realm, factories } = bound;
    this.bound = null;
    if (!usable(realm)) return;
    for (const factory of factories) factory.release();
    if (this.warming !== null) {
      if (this.tainted) retire(realm);
      else if (sparesTaken === this.warming.since) realm.warmUps++;
    } else {
      realm.gradings++;
      if (this.tainted || realm.gradings >= gradingsPerIsolate || heapNearlyFull(realm)) retire(realm);
    }
    // Only a realm that serves on need let go of them: a retired one goes whole.
    if (!realm.retired && realm.modulesOf === bound) {
      realm.holdModules.applySync(undefined, [], { timeout: RUNTIME_LOAD_LIMIT_MS });
      realm.modulesOf = null;
    }
  }

  /** Whatever a run left half done (or queued) in this realm must not reach the next run: its isolate goes. */
  private discard(realm: Realm): void {
    this.bound = null;
    this.tainted = false;
    retire(realm);
  }

  /** The submission's factories in the current realm, held by its runtime for the runs to come. */
  private bind(): Bound | string {
    const bound = this.compiled();
    if (typeof bound === 'string' || bound.realm.modulesOf === bound) return bound;
    // Runs only the runtime's own code, as a realm's loading does.
    bound.realm.holdModules.applySync(undefined, bound.factories.map((factory) => factory.derefInto()), { timeout: RUNTIME_LOAD_LIMIT_MS });
    bound.realm.modulesOf = bound;
    return bound;
  }

  /** The submission's factories, compiled into the current realm (a fresh one after a run had to be cut off). */
  private compiled(): Bound | string {
    // Another session may have retired the realm this one was bound to.
    if (this.bound && usable(this.bound.realm)) return this.bound;
    const realm = this.warming === null ? takeRealm(this.limits.memoryMb) : spareRealm(this.limits.memoryMb);
    const factories: ivm.Reference<ModuleFactory>[] = [];
    for (const { script, fileName } of this.modules) {
      let compiled: ivm.Script;
      try {
        compiled = realm.isolate.compileScriptSync(script, { filename: fileName });
      } catch (error) {
        for (const factory of factories) factory.release();
        return `Syntax error in ${fileName}: ${(error as Error).message}`;
      }
      factories.push(compiled.runSync(realm.context, { reference: true, release: true, timeout: RUNTIME_LOAD_LIMIT_MS }));
    }
    this.bound = { realm, factories };
    return this.bound;
  }
}
