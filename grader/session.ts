/**
 * A session: a submission's modules (one, or one per host for `run --host`)
 * in a hardened isolate context holding the kernel, in which a test suite
 * runs hundreds of schedules, or `rendezvous run` runs one. Each
 * run is driven with synchronous calls (a few microseconds each; every call
 * returns only once the isolate's microtasks have drained), and each call
 * carries the run's time limit, so an endless loop costs the run, not the
 * process.
 *
 * A realm (an isolate, its one hardened context and the kernel's JIT-warm
 * code) serves consecutive submissions only while nothing of one can reach
 * the next. Realm-wide state is closed one by one: the intrinsics are frozen,
 * every process is a fresh module instance, Symbol.for is per run, and a call
 * that returns has drained the microtask queue. What is left is retired with
 * the isolate, and the session goes on in a fresh one: after a run was cut
 * off (a microtask may still be queued, and a context is never created in a
 * used isolate), after a run ended as timeout, memory-limit or crash, when
 * the heap holds more than half its limit after a grading, and after
 * `gradingsPerIsolate` gradings in any case (1: every grading in a fresh
 * isolate). A fresh isolate is about five times slower on its first grading
 * (V8 has not optimised the kernel yet), which is why realms are reused at all;
 * replacements are made ahead of need, while the previous results are written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ivm from 'isolated-vm';
import type { ModuleFactory, RunResult } from '../kernel';
import { compileWithinLimit, startCompiler } from './compiler';
import type { SourceFile } from './exercise';
import type { RunManyOptions, RunRequest, Runner } from './harness';
import { RUNTIME_FAILURE, type IsolateRunSettings, type IsolateRuntime } from './isolate-protocol';
import { DEFAULT_GRADINGS_PER_ISOLATE, resolveLimits, type SandboxLimits } from './job';
import { crashResult, memoryLimitResult, timeoutResult } from './run-result';

const RUNTIME_BUNDLE = path.join(__dirname, '..', 'dist', 'isolate-runtime.js');
/** The kernel ends a run itself at its budget; the hard stop waits this much longer for code that never yields. */
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

/** How many gradings one isolate may serve (1: a fresh isolate for every grading). */
export function configureIsolates(options: { gradingsPerIsolate: number }): void {
  if (!Number.isInteger(options.gradingsPerIsolate) || options.gradingsPerIsolate < 1) {
    throw new Error(`gradingsPerIsolate must be a whole number of at least 1, not ${options.gradingsPerIsolate}`);
  }
  gradingsPerIsolate = options.gradingsPerIsolate;
}

/** An isolate with the runtime loaded in its one hardened context, and the runtime's entry points bound. */
interface Realm {
  isolate: ivm.Isolate;
  memoryMb: number;
  context: ivm.Context;
  /** Sessions that have closed in this realm. */
  gradings: number;
  startRun: ivm.Reference<IsolateRuntime['startRun']>;
  startBatch: ivm.Reference<IsolateRuntime['startBatch']>;
  batchJson: ivm.Reference<IsolateRuntime['batchJson']>;
  idle: ivm.Reference<IsolateRuntime['idle']>;
  finished: ivm.Reference<IsolateRuntime['finished']>;
  advance: ivm.Reference<IsolateRuntime['advance']>;
  unhandledRejection: ivm.Reference<IsolateRuntime['unhandledRejection']>;
  timedOutJson: ivm.Reference<IsolateRuntime['timedOutJson']>;
  resultJson: ivm.Reference<IsolateRuntime['resultJson']>;
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
    return {
      isolate,
      memoryMb,
      context,
      gradings: 0,
      startRun: runtime.getSync('startRun', { reference: true }),
      startBatch: runtime.getSync('startBatch', { reference: true }),
      batchJson: runtime.getSync('batchJson', { reference: true }),
      idle: runtime.getSync('idle', { reference: true }),
      finished: runtime.getSync('finished', { reference: true }),
      advance: runtime.getSync('advance', { reference: true }),
      unhandledRejection: runtime.getSync('unhandledRejection', { reference: true }),
      timedOutJson: runtime.getSync('timedOutJson', { reference: true }),
      resultJson: runtime.getSync('resultJson', { reference: true }),
    };
  } catch (error) {
    isolate.dispose();
    throw error;
  }
}

/** The realm sessions are opened in, per memory limit, and one made ahead of need for when one retires. */
const current = new Map<number, Realm>();
let spare: Realm | null = null;
let spareScheduled = false;

function takeRealm(memoryMb: number): Realm {
  const serving = current.get(memoryMb);
  if (serving && !serving.isolate.isDisposed) return serving;
  const ready = spare?.memoryMb === memoryMb && !spare.isolate.isDisposed ? spare : null;
  if (ready) spare = null;
  const realm = ready ?? makeRealm(memoryMb);
  current.set(memoryMb, realm);
  return realm;
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

/** Ends a realm at once: its isolate and everything in it go, whatever the programs left queued. */
function retire(realm: Realm): void {
  disposeRealm(realm);
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
  if (!realm.isolate.isDisposed) realm.isolate.dispose();
}

function isolateSettings(request: RunRequest, limits: SandboxLimits): IsolateRunSettings {
  return {
    kernel: request.settings,
    programs: request.programs.map(({ module, ...program }) => ({ ...program, moduleIndex: module ?? 0 })),
    cpuBudgetMs: limits.cpuMs,
  };
}

export class GradingSession implements Runner {
  /** The realm and this submission's module factories in it; rebuilt after a run was cut off. */
  private bound: Bound | null = null;
  /** A run ended in a way that may have left something in the realm: it retires when the session closes. */
  private tainted = false;
  /** Runs this session performed, for the benchmark and the worker's phase timings. */
  runCount = 0;

  private constructor(private readonly modules: CompiledModule[], readonly limits: SandboxLimits) {}

  /**
   * Compiles the submission's modules (a run's programs name theirs by index,
   * the first by default); a syntax error or a forbidden import is returned as a sentence.
   */
  static async open(modules: SourceFile[], limits: Partial<SandboxLimits> = {}): Promise<GradingSession | { compileError: string }> {
    const compiled: CompiledModule[] = [];
    for (const { source, fileName } of modules) {
      const module = await compileWithinLimit(source, fileName);
      if (!module.ok) return { compileError: module.message };
      compiled.push({ fileName, script: module.script });
    }
    const session = new GradingSession(compiled, resolveLimits(limits));
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
   * run that never ends is the one reported (runs are deterministic).
   */
  async runMany(requests: RunRequest[], options: RunManyOptions = {}): Promise<RunResult[]> {
    if (requests.length <= 1) return requests.map((request) => this.runOne(request));
    const stopAtStepLimit = options.stopAtStepLimit === true;
    const bound = this.bind();
    if (typeof bound === 'string') return requests.map((request) => crashResult(new Error(bound), request.settings));
    const { realm } = bound;
    const timeout = this.limits.cpuMs + HARD_STOP_GRACE_MS;
    try {
      const batch = requests.map((r) => ({ ...isolateSettings(r, this.limits), stopBatchAtStepLimit: stopAtStepLimit }));
      realm.startBatch.applySync(undefined, [new ivm.ExternalCopy(batch).copyInto({ release: true }), ...bound.factories.map((f) => f.derefInto())], { timeout });
      while (!realm.finished.applySync(undefined, [], { timeout })) realm.idle.applySync(undefined, [], { timeout });
      const results = JSON.parse(realm.batchJson.applySync(undefined, [], { timeout })) as RunResult[];
      this.runCount += results.length;
      if (results.some((result) => TAINTING_STATUSES.has(result.status))) this.tainted = true;
      return results;
    } catch (error) {
      // An unhandled rejection leaves the realm as it was; anything else may have left it half done.
      if (!isUnhandledRejection(error, realm)) this.discard(realm);
      const results: RunResult[] = [];
      for (const request of requests) {
        const result = this.runOne(request);
        results.push(result);
        if (stopAtStepLimit && result.status === 'step-limit') break;
      }
      return results;
    }
  }

  /**
   * One run. A program that leaves a promise rejected with no handler makes
   * isolated-vm throw its reason after the call: the run is then made again
   * stepwise, so that the process whose code ran in that step dies of it, as
   * in Node, rather than the grader reporting a failure of its own.
   */
  runOne(request: RunRequest, stepwise = false): RunResult {
    const settings = request.settings;
    const bound = this.bind();
    if (typeof bound === 'string') return crashResult(new Error(bound), settings);
    const { realm } = bound;
    this.runCount++;
    const timeout = this.limits.cpuMs + HARD_STOP_GRACE_MS;
    try {
      const kernel = stepwise ? { ...settings, stepwise } : settings;
      realm.startRun.applySync(undefined, [new ivm.ExternalCopy(isolateSettings({ ...request, settings: kernel }, this.limits)).copyInto({ release: true }), ...bound.factories.map((f) => f.derefInto())], { timeout });
      if (stepwise) {
        for (;;) {
          try {
            if (realm.advance.applySync(undefined, [], { timeout })) break;
          } catch (error) {
            if (!isUnhandledRejection(error, realm)) throw error;
            realm.unhandledRejection.applySync(undefined, [messageOf(error)], { timeout });
          }
        }
      } else {
        while (!realm.finished.applySync(undefined, [], { timeout })) realm.idle.applySync(undefined, [], { timeout });
      }
      const result = JSON.parse(realm.resultJson.applySync(undefined, [], { timeout })) as RunResult;
      if (TAINTING_STATUSES.has(result.status)) this.tainted = true;
      return result;
    } catch (error) {
      if (!stepwise && isUnhandledRejection(error, realm)) return this.runOne(request, true);
      const outOfMemory = realm.isolate.isDisposed;
      const timedOut = !outOfMemory && isTimeout(error);
      // A run cut off at its time limit keeps the output and process table it had, when the realm still answers.
      const kept = timedOut ? this.resultAfterTimeout(realm, settings) : null;
      this.discard(realm);
      if (outOfMemory) return memoryLimitResult(this.limits, settings);
      if (timedOut) return kept ?? timeoutResult(this.limits, settings);
      return crashResult(error, settings);
    }
  }

  /** What the cut-off run had (output, process table), as a timeout whatever the kernel had concluded: code still ran past its end. */
  private resultAfterTimeout(realm: Realm, settings: RunRequest['settings']): RunResult | null {
    const message = timeoutResult(this.limits, settings).message!;
    try {
      const kept = JSON.parse(realm.timedOutJson.applySync(undefined, [message], { timeout: HARD_STOP_GRACE_MS })) as RunResult;
      return kept.status === 'timeout' ? kept : { ...kept, status: 'timeout', message };
    } catch {
      return null;
    }
  }

  /** Lets go of this submission's modules; the realm serves the next submission unless it must retire. */
  close(): void {
    if (!this.bound) return;
    const { realm, factories } = this.bound;
    this.bound = null;
    if (realm.isolate.isDisposed) return;
    for (const factory of factories) factory.release();
    realm.gradings++;
    if (this.tainted || realm.gradings >= gradingsPerIsolate || heapNearlyFull(realm)) retire(realm);
  }

  /** Whatever a run left half done (or queued) in this realm must not reach the next run: its isolate goes. */
  private discard(realm: Realm): void {
    this.bound = null;
    this.tainted = false;
    retire(realm);
  }

  /** The submission's factories, compiled into the current realm (a fresh one after a run had to be cut off). */
  private bind(): Bound | string {
    // Another session may have retired the realm this one was bound to.
    if (this.bound && !this.bound.realm.isolate.isDisposed) return this.bound;
    const realm = takeRealm(this.limits.memoryMb);
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
