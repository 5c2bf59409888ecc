/**
 * Runs submissions in an isolated-vm isolate. Each run gets a fresh context with the runtime
 * (kernel + hardened realm) loaded, so nothing a run does survives into the next one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ivm from 'isolated-vm';
import type { ModuleFactory, RunResult } from '../kernel';
import { compileProgram } from './compile';
import type { IsolateProgram, IsolateRunSettings, IsolateRuntime } from './isolate-protocol';
import { resolveLimits, type ProgramSource, type SandboxJob, type SandboxLimits } from './job';
import { crashResult, memoryLimitResult, resultWithoutRun, timeoutResult } from './run-result';

/** Built by scripts/build.mjs; the same relative path holds from grader/ (tests) and dist/ (bundles). */
const RUNTIME_BUNDLE = path.join(__dirname, '..', 'dist', 'isolate-runtime.js');

/**
 * Past its budget the kernel ends a run itself and keeps its output; the isolate is destroyed only
 * when the run goes this much further, which takes code that never reaches a system call.
 */
const HARD_LIMIT_GRACE_MS = 100;
const CPU_POLL_INTERVAL_MS = 5;

/** An isolate with the runtime compiled for it once, reused by every run until it is destroyed. */
interface WarmIsolate {
  isolate: ivm.Isolate;
  memoryMb: number;
  runtime: ivm.Script;
}

/** A program's source compiled to a script that evaluates to its module factory. */
interface CompiledModule {
  fileName: string;
  script: string;
}

export class Sandbox {
  private readonly runtimeSource = readFileSync(RUNTIME_BUNDLE, 'utf8');
  private warm: WarmIsolate | null = null;

  /**
   * Runs a job to its end. One job at a time: the CPU limit reads the isolate's clock.
   * Never rejects: every failure is a RunResult.
   */
  async run(job: SandboxJob): Promise<RunResult> {
    const limits: SandboxLimits = resolveLimits(job.limits);
    try {
      const compiled = compileModules(job.programs);
      if ('error' in compiled) return resultWithoutRun('compile-error', compiled.error, job.settings);
      return await this.runCompiled(compiled, job, limits);
    } catch (error) {
      return crashResult(error, job.settings);
    }
  }

  /** Frees the isolate; a later run makes a new one. */
  dispose(): void {
    if (this.warm && !this.warm.isolate.isDisposed) this.warm.isolate.dispose();
    this.warm = null;
  }

  private async runCompiled(
    compiled: { modules: CompiledModule[]; programs: IsolateProgram[] },
    job: SandboxJob,
    limits: SandboxLimits,
  ): Promise<RunResult> {
    const { isolate, runtime: runtimeScript } = await this.isolateWith(limits.memoryMb);
    const context = await isolate.createContext();
    // Handles into the context, released with it rather than whenever Node's GC gets to them.
    const handles: { release(): void }[] = [context];
    let watchdog: CpuWatchdog | null = null;
    try {
      const runtime: ivm.Reference<IsolateRuntime> = await runtimeScript.run(context, { reference: true });
      handles.push(runtime);
      const factories: ivm.Reference<ModuleFactory>[] = [];
      for (const module of compiled.modules) {
        const factory = await instantiateFactory(isolate, context, module);
        if ('error' in factory) return resultWithoutRun('compile-error', factory.error, job.settings);
        factories.push(factory.reference);
      }
      const [startRun, idle, finished, resultJson] = await Promise.all([
        runtime.get('startRun', { reference: true }),
        runtime.get('idle', { reference: true }),
        runtime.get('finished', { reference: true }),
        runtime.get('resultJson', { reference: true }),
      ]);
      handles.push(startRun, idle, finished, resultJson);
      const settings: IsolateRunSettings = { kernel: job.settings, programs: compiled.programs, cpuBudgetMs: limits.cpuMs };

      watchdog = new CpuWatchdog(isolate, limits.cpuMs + HARD_LIMIT_GRACE_MS);
      // Every apply returns only once the isolate's microtask queue has drained, so when the run
      // is not finished after one, each of its threads awaits something other than a system call.
      await startRun.apply(undefined, [
        new ivm.ExternalCopy(settings).copyInto({ release: true }),
        ...factories.map((factory) => factory.derefInto({ release: true })),
      ]);
      while (!(await finished.apply(undefined, []))) await idle.apply(undefined, []);
      const json: string = await resultJson.apply(undefined, []);
      return JSON.parse(json) as RunResult;
    } catch (error) {
      if (watchdog?.fired) return timeoutResult(limits, job.settings);
      if (isolate.isDisposed) return memoryLimitResult(limits, job.settings);
      return crashResult(error, job.settings);
    } finally {
      watchdog?.stop();
      if (isolate.isDisposed) this.warm = null;
      else for (const handle of handles) handle.release();
    }
  }

  private async isolateWith(memoryMb: number): Promise<WarmIsolate> {
    if (this.warm && this.warm.memoryMb !== memoryMb) this.dispose();
    if (!this.warm) {
      const isolate = new ivm.Isolate({ memoryLimit: memoryMb });
      const runtime = await isolate.compileScript(this.runtimeSource, { filename: 'rendezvous-runtime.js' });
      this.warm = { isolate, memoryMb, runtime };
    }
    return this.warm;
  }
}

/** Compiles each distinct source once; programs name their module by index. */
function compileModules(
  programs: ProgramSource[],
): { modules: CompiledModule[]; programs: IsolateProgram[] } | { error: string } {
  const modules: CompiledModule[] = [];
  const indexBySource = new Map<string, number>();
  const isolatePrograms: IsolateProgram[] = [];
  for (const { source, fileName, ...program } of programs) {
    const key = `${fileName}\0${source}`;
    let moduleIndex = indexBySource.get(key);
    if (moduleIndex === undefined) {
      const compiled = compileProgram(source, fileName);
      if (!compiled.ok) return { error: compiled.message };
      moduleIndex = modules.push({ fileName, script: compiled.script }) - 1;
      indexBySource.set(key, moduleIndex);
    }
    isolatePrograms.push({ ...program, moduleIndex });
  }
  return { modules, programs: isolatePrograms };
}

/** Compiles a module's factory script in the context; V8 can still reject what TypeScript let through. */
async function instantiateFactory(
  isolate: ivm.Isolate,
  context: ivm.Context,
  module: CompiledModule,
): Promise<{ reference: ivm.Reference<ModuleFactory> } | { error: string }> {
  let script: ivm.Script;
  try {
    script = await isolate.compileScript(module.script, { filename: module.fileName });
  } catch (error) {
    if (error instanceof Error && error.name === 'SyntaxError') {
      return { error: `Syntax error in ${module.fileName}: ${error.message}` };
    }
    throw error;
  }
  return { reference: await script.run(context, { reference: true, release: true }) };
}

/** Destroys the isolate once a run has used `limitMs` of its CPU time: the only way to stop `while (true) {}`. */
class CpuWatchdog {
  fired = false;
  private readonly timer: NodeJS.Timeout;

  constructor(isolate: ivm.Isolate, limitMs: number) {
    const start = isolate.cpuTime;
    const limit = BigInt(limitMs) * 1_000_000n;
    this.timer = setInterval(() => {
      // A memory-limit disposal can land between two polls; the run's own catch reports it.
      if (isolate.isDisposed) return this.stop();
      if (isolate.cpuTime - start <= limit) return;
      this.fired = true;
      this.stop();
      isolate.dispose();
    }, CPU_POLL_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
