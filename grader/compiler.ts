/**
 * Compiles submissions in a worker thread under a time limit. TypeScript's
 * parser cannot be interrupted and takes quadratic time on some nestings
 * (`a<a<a…`), so a compile that runs past the limit is stopped by terminating
 * the worker, reported as the submission's compile error, and the worker is
 * replaced for the next one.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CompiledProgram } from '../common/compile';
import type { CompileReply, CompileRequest } from './compile-worker';

const WORKER_ENTRY = path.join(__dirname, '..', 'dist', 'compile-worker.js');
/** How long one file may take to compile: an honest 64 KiB file takes a fraction of a second. */
export const COMPILE_LIMIT_MS = 5_000;
/** TypeScript's heap for one file of at most 64 KiB; past it the worker dies, not the process. */
const WORKER_HEAP_MB = 256;

interface CompileWorker {
  worker: Worker;
  /** Settles once TypeScript is loaded: a submission's limit starts only then. */
  ready: Promise<void>;
}

let current: CompileWorker | null = null;
let nextId = 1;

function startWorker(): CompileWorker {
  const worker = new Worker(WORKER_ENTRY, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the compiler exited with code ${code} while starting`)));
  });
  // An idle compiler must not keep the process alive; one starting or compiling must.
  ready.then(() => worker.unref(), () => undefined);
  const started = { worker, ready };
  worker.once('exit', () => {
    if (current === started) current = null;
  });
  return started;
}

/** Starts the compiler ahead of the first submission; resolves once it is ready. */
export function startCompiler(): Promise<void> {
  current ??= startWorker();
  return current.ready;
}

/** Compiles one file; a file too large, invalid, too slow to compile, or that crashes the parser is a compile error. */
export async function compileWithinLimit(source: string, fileName: string, limitMs = COMPILE_LIMIT_MS): Promise<CompiledProgram> {
  const compiler = (current ??= startWorker());
  await compiler.ready;
  const id = nextId++;
  const { worker } = compiler;
  worker.ref();
  return new Promise<CompiledProgram>((resolve) => {
    const finish = (compiled: CompiledProgram): void => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('exit', onExit).unref();
      resolve(compiled);
    };
    const onMessage = (reply: CompileReply): void => {
      if (reply.id === id) finish(reply.compiled);
    };
    const onExit = (): void => finish({ ok: false, message: `${fileName} could not be compiled: the compiler ran out of memory on it.` });
    const timer = setTimeout(() => {
      worker.off('exit', onExit);
      if (current === compiler) current = null;
      void worker.terminate();
      finish({ ok: false, message: `${fileName} took more than ${limitMs / 1000} s to compile, so it was stopped: simplify its most deeply nested expressions or types.` });
    }, limitMs);
    worker.on('message', onMessage).on('exit', onExit);
    worker.postMessage({ id, source, fileName } satisfies CompileRequest);
  });
}
