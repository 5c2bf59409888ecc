import ts from 'typescript';
import { Kernel } from '../../kernel';
import type { ModuleFactory, RunOptions, RunResult } from '../../kernel/types';

/**
 * Runs programs on the kernel directly in Node, for the kernel's own tests.
 * (The sandbox tests run the same kernel inside isolated-vm.) Each call of the
 * factory evaluates a fresh module instance, as the sandbox does.
 */
export function moduleFrom(source: string): ModuleFactory {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const evaluate = new Function('exports', 'module', outputText);
  return () => {
    const module = { exports: {} as Record<string, unknown> };
    evaluate(module.exports, module);
    return module.exports;
  };
}

export type ProgramOptions = Omit<RunOptions, 'programs'> & { stdin?: string; argv?: unknown[] };

export function runKernel(options: RunOptions): Promise<RunResult> {
  const kernel = new Kernel(options);
  return runUntilFinished(kernel, () => kernel.result());
}

/** Starts `kernel` and resolves to what `read` takes from it the moment the run finishes. */
export function runUntilFinished<T>(kernel: Kernel, read: () => T): Promise<T> {
  return new Promise((resolve) => {
    kernel.onFinish = () => resolve(read());
    kernel.start();
    // A macrotask runs only once the microtasks have drained: then the run is stalled, or over.
    const watch = (): void => {
      if (kernel.finished) return;
      kernel.idle();
      setImmediate(watch);
    };
    setImmediate(watch);
  });
}

/** Runs one program's default export as pid 2. */
export function run(source: string, options: ProgramOptions = {}): Promise<RunResult> {
  const { stdin, argv, ...rest } = options;
  return runKernel({ ...rest, programs: [{ module: moduleFrom(source), stdin, argv }] });
}
