/**
 * A session: a submission's modules (one, or one per host for `run --host`)
 * in a hardened isolate context holding the kernel, in which a test suite
 * runs hundreds of schedules, or `rendezvous run` runs one. Each
 * run is driven with synchronous calls (a few microseconds each; every call
 * returns only once the isolate's microtasks have drained), and each call
 * carries the run's time limit, so an endless loop costs the run, not the
 * process: the context is rebuilt and the next run goes on.
 *
 * The context itself (the frozen realm and the kernel's JIT-warm code)
 * outlives sessions: the next submission is compiled into it. Nothing a run
 * does outlives the run there: the realm is frozen, each process is a fresh
 * module instance, and the runtime's entry points are held only by this side.
 * A run cut off mid-way discards the context, so no half-done state is reused.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ivm from 'isolated-vm';
import type { ModuleFactory, RunResult } from '../kernel';
import { compileProgram } from './compile';
import type { SourceFile } from './exercise';
import type { RunRequest, Runner } from './harness';
import type { IsolateRunSettings, IsolateRuntime } from './isolate-protocol';
import { resolveLimits, type SandboxLimits } from './job';
import { crashResult, memoryLimitResult, timeoutResult } from './run-result';

const RUNTIME_BUNDLE = path.join(__dirname, '..', 'dist', 'isolate-runtime.js');
/** The kernel ends a run itself at its budget; the hard stop waits this much longer for code that never yields. */
const HARD_STOP_GRACE_MS = 100;

let runtimeSource: string | null = null;

/** A hardened context with the runtime loaded, and the runtime's entry points bound. */
interface WarmRealm {
  isolate: ivm.Isolate;
  context: ivm.Context;
  startRun: ivm.Reference<IsolateRuntime['startRun']>;
  startBatch: ivm.Reference<IsolateRuntime['startBatch']>;
  batchJson: ivm.Reference<IsolateRuntime['batchJson']>;
  idle: ivm.Reference<IsolateRuntime['idle']>;
  finished: ivm.Reference<IsolateRuntime['finished']>;
  resultJson: ivm.Reference<IsolateRuntime['resultJson']>;
}

/** A submission's module compiled to a script that evaluates to its factory. */
interface CompiledModule {
  fileName: string;
  script: string;
}

/** A session's realm and its modules' factories there. */
interface Bound {
  realm: WarmRealm;
  factories: ivm.Reference<ModuleFactory>[];
}

/** One isolate (with its compiled runtime) and one warm realm per memory limit. */
const isolates = new Map<number, { isolate: ivm.Isolate; runtime: ivm.Script; realm: WarmRealm | null }>();

function warmRealm(memoryMb: number): WarmRealm {
  let entry = isolates.get(memoryMb);
  if (entry?.isolate.isDisposed) entry = undefined;
  if (!entry) {
    const isolate = new ivm.Isolate({ memoryLimit: memoryMb });
    runtimeSource ??= readFileSync(RUNTIME_BUNDLE, 'utf8');
    entry = { isolate, runtime: isolate.compileScriptSync(runtimeSource, { filename: 'rendezvous-runtime.js' }), realm: null };
    isolates.set(memoryMb, entry);
  }
  if (!entry.realm) {
    const context = entry.isolate.createContextSync();
    const runtime: ivm.Reference<IsolateRuntime> = entry.runtime.runSync(context, { reference: true });
    entry.realm = {
      isolate: entry.isolate,
      context,
      startRun: runtime.getSync('startRun', { reference: true }),
      startBatch: runtime.getSync('startBatch', { reference: true }),
      batchJson: runtime.getSync('batchJson', { reference: true }),
      idle: runtime.getSync('idle', { reference: true }),
      finished: runtime.getSync('finished', { reference: true }),
      resultJson: runtime.getSync('resultJson', { reference: true }),
    };
  }
  return entry.realm;
}

/** A run was cut off in this realm (or its isolate died): the next session starts from a fresh one. */
function discardRealm(realm: WarmRealm): void {
  for (const [memoryMb, entry] of isolates) {
    if (entry.realm !== realm) continue;
    entry.realm = null;
    if (entry.isolate.isDisposed) isolates.delete(memoryMb);
    else realm.context.release();
  }
}

export class GradingSession implements Runner {
  /** The realm and this submission's module factories in it; rebuilt after a run was cut off. */
  private bound: Bound | null = null;
  /** Runs this session performed, for the benchmark and the worker's phase timings. */
  runCount = 0;

  private constructor(private readonly modules: CompiledModule[], readonly limits: SandboxLimits) {}

  /**
   * Compiles the submission's modules (a run's programs name theirs by index,
   * the first by default); a syntax error or a forbidden import is returned as a sentence.
   */
  static open(modules: SourceFile[], limits: Partial<SandboxLimits> = {}): GradingSession | { compileError: string } {
    const compiled: CompiledModule[] = [];
    for (const { source, fileName } of modules) {
      const module = compileProgram(source, fileName);
      if (!module.ok) return { compileError: module.message };
      compiled.push({ fileName, script: module.script });
    }
    const session = new GradingSession(compiled, resolveLimits(limits));
    const problem = session.bind();
    if (typeof problem === 'string') return { compileError: problem };
    return session;
  }

  /**
   * Runs a batch in one call into the isolate. The batch shares one run's time
   * limit; if it had to be cut off, it runs again one run at a time, so the
   * run that never ends is the one reported (runs are deterministic).
   */
  async runMany(requests: RunRequest[]): Promise<RunResult[]> {
    if (requests.length <= 1) return requests.map((request) => this.runOne(request));
    const bound = this.bind();
    if (typeof bound === 'string') return requests.map((request) => crashResult(new Error(bound), request.settings));
    const { realm } = bound;
    const timeout = this.limits.cpuMs + HARD_STOP_GRACE_MS;
    try {
      realm.startBatch.applySync(undefined, [new ivm.ExternalCopy(requests.map((r) => this.isolateSettings(r))).copyInto({ release: true }), ...this.factoriesOf(bound)], { timeout });
      while (!realm.finished.applySync(undefined, [], { timeout })) realm.idle.applySync(undefined, [], { timeout });
      const results = JSON.parse(realm.batchJson.applySync(undefined, [], { timeout })) as RunResult[];
      this.runCount += results.length;
      return results;
    } catch {
      this.bound = null;
      discardRealm(realm);
      return requests.map((request) => this.runOne(request));
    }
  }

  private isolateSettings(request: RunRequest): IsolateRunSettings {
    return {
      kernel: request.settings,
      programs: request.programs.map(({ module, ...program }) => ({ ...program, moduleIndex: module ?? 0 })),
      cpuBudgetMs: this.limits.cpuMs,
    };
  }

  runOne(request: RunRequest): RunResult {
    const settings = request.settings;
    const bound = this.bind();
    if (typeof bound === 'string') return crashResult(new Error(bound), settings);
    const { realm } = bound;
    this.runCount++;
    const timeout = this.limits.cpuMs + HARD_STOP_GRACE_MS;
    const isolateSettings = this.isolateSettings(request);
    try {
      realm.startRun.applySync(undefined, [new ivm.ExternalCopy(isolateSettings).copyInto({ release: true }), ...this.factoriesOf(bound)], { timeout });
      while (!realm.finished.applySync(undefined, [], { timeout })) realm.idle.applySync(undefined, [], { timeout });
      return JSON.parse(realm.resultJson.applySync(undefined, [], { timeout })) as RunResult;
    } catch (error) {
      // Whatever the run left half done in this context must not leak into the next run.
      this.bound = null;
      discardRealm(realm);
      if (realm.isolate.isDisposed) return memoryLimitResult(this.limits, settings);
      // isolated-vm's errors may come from another realm than ours (Jest's, for one): no instanceof.
      if (/timed out/i.test(String((error as { message?: unknown } | null)?.message))) return timeoutResult(this.limits, settings);
      return crashResult(error, settings);
    }
  }

  /** Lets go of this submission's modules; the warm realm stays for the next one. */
  close(): void {
    if (this.bound && !this.bound.realm.isolate.isDisposed) for (const factory of this.bound.factories) factory.release();
    this.bound = null;
  }

  private factoriesOf(bound: Bound): ivm.Dereference<ModuleFactory>[] {
    return bound.factories.map((factory) => factory.derefInto());
  }

  /** The submission's factories, compiled into the warm realm (again, after a run had to be cut off). */
  private bind(): Bound | string {
    if (this.bound) return this.bound;
    const realm = warmRealm(this.limits.memoryMb);
    const factories: ivm.Reference<ModuleFactory>[] = [];
    for (const { script, fileName } of this.modules) {
      let compiled: ivm.Script;
      try {
        compiled = realm.isolate.compileScriptSync(script, { filename: fileName });
      } catch (error) {
        for (const factory of factories) factory.release();
        return `Syntax error in ${fileName}: ${(error as Error).message}`;
      }
      factories.push(compiled.runSync(realm.context, { reference: true, release: true }));
    }
    this.bound = { realm, factories };
    return this.bound;
  }
}
