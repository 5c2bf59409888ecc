/**
 * A grading session: one isolate context holding the kernel and one
 * submission's module, in which a test suite runs hundreds of schedules.
 * Each run is driven with synchronous calls (a few microseconds each; every
 * call returns only once the isolate's microtasks have drained), and each
 * call carries the run's time limit, so an endless loop costs the run, not the
 * session: the context is rebuilt and the next run goes on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ivm from 'isolated-vm';
import type { ModuleFactory, RunResult } from '../kernel';
import { compileProgram } from './compile';
import type { RunRequest, Runner } from './harness';
import type { IsolateRunSettings, IsolateRuntime } from './isolate-protocol';
import { resolveLimits, type SandboxLimits } from './job';
import { crashResult, memoryLimitResult, timeoutResult } from './run-result';

const RUNTIME_BUNDLE = path.join(__dirname, '..', 'dist', 'isolate-runtime.js');
/** The kernel ends a run itself at its budget; the hard stop waits this much longer for code that never yields. */
const HARD_STOP_GRACE_MS = 100;

let runtimeSource: string | null = null;

/** The parts of the runtime the session calls, bound once per context. */
interface Bound {
  context: ivm.Context;
  factory: ivm.Reference<ModuleFactory>;
  startRun: ivm.Reference<IsolateRuntime['startRun']>;
  idle: ivm.Reference<IsolateRuntime['idle']>;
  finished: ivm.Reference<IsolateRuntime['finished']>;
  resultJson: ivm.Reference<IsolateRuntime['resultJson']>;
}

export class GradingSession implements Runner {
  private isolate: ivm.Isolate | null = null;
  private runtime: ivm.Script | null = null;
  private bound: Bound | null = null;
  /** Runs this session performed, for the benchmark and the worker's phase timings. */
  runCount = 0;

  private constructor(private readonly script: string, private readonly fileName: string, readonly limits: SandboxLimits) {}

  /** Compiles the submission; a syntax error or a forbidden import is returned as a sentence. */
  static open(source: string, fileName: string, limits: Partial<SandboxLimits> = {}): GradingSession | { compileError: string } {
    const compiled = compileProgram(source, fileName);
    if (!compiled.ok) return { compileError: compiled.message };
    const session = new GradingSession(compiled.script, fileName, resolveLimits(limits));
    const problem = session.bind();
    if (typeof problem === 'string') {
      session.close();
      return { compileError: problem };
    }
    return session;
  }

  async runMany(requests: RunRequest[]): Promise<RunResult[]> {
    return requests.map((request) => this.runOne(request));
  }

  runOne(request: RunRequest): RunResult {
    const settings = request.settings;
    const bound = this.bind();
    if (typeof bound === 'string') return crashResult(new Error(bound), settings);
    this.runCount++;
    const timeout = this.limits.cpuMs + HARD_STOP_GRACE_MS;
    const isolateSettings: IsolateRunSettings = {
      kernel: settings,
      programs: request.programs.map((program) => ({ ...program, moduleIndex: 0 })),
      cpuBudgetMs: this.limits.cpuMs,
    };
    try {
      bound.startRun.applySync(undefined, [new ivm.ExternalCopy(isolateSettings).copyInto({ release: true }), bound.factory.derefInto()], { timeout });
      while (!bound.finished.applySync(undefined, [], { timeout })) bound.idle.applySync(undefined, [], { timeout });
      return JSON.parse(bound.resultJson.applySync(undefined, [], { timeout })) as RunResult;
    } catch (error) {
      // Whatever the run left half done in this context must not leak into the next run.
      this.dropContext();
      if (this.isolate?.isDisposed ?? true) {
        this.isolate = null;
        return memoryLimitResult(this.limits, settings);
      }
      // isolated-vm's errors may come from another realm than ours (Jest's, for one): no instanceof.
      if (/timed out/i.test(String((error as { message?: unknown } | null)?.message))) return timeoutResult(this.limits, settings);
      return crashResult(error, settings);
    }
  }

  close(): void {
    this.dropContext();
    if (this.isolate && !this.isolate.isDisposed) this.isolate.dispose();
    this.isolate = null;
  }

  private dropContext(): void {
    if (this.bound && this.isolate && !this.isolate.isDisposed) this.bound.context.release();
    this.bound = null;
  }

  /** A context with the runtime and the submission's factory, made anew after a run had to be cut off. */
  private bind(): Bound | string {
    if (this.bound) return this.bound;
    if (!this.isolate || this.isolate.isDisposed) {
      this.isolate = new ivm.Isolate({ memoryLimit: this.limits.memoryMb });
      runtimeSource ??= readFileSync(RUNTIME_BUNDLE, 'utf8');
      this.runtime = this.isolate.compileScriptSync(runtimeSource, { filename: 'rendezvous-runtime.js' });
    }
    const isolate = this.isolate;
    const context = isolate.createContextSync();
    const runtime: ivm.Reference<IsolateRuntime> = this.runtime!.runSync(context, { reference: true });
    let factory: ivm.Reference<ModuleFactory>;
    try {
      factory = isolate.compileScriptSync(this.script, { filename: this.fileName }).runSync(context, { reference: true });
    } catch (error) {
      context.release();
      return `Syntax error in ${this.fileName}: ${(error as Error).message}`;
    }
    this.bound = {
      context,
      factory,
      startRun: runtime.getSync('startRun', { reference: true }),
      idle: runtime.getSync('idle', { reference: true }),
      finished: runtime.getSync('finished', { reference: true }),
      resultJson: runtime.getSync('resultJson', { reference: true }),
    };
    return this.bound;
  }
}
