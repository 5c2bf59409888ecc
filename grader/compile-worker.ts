/**
 * The worker thread that compiles submissions (bundled to dist/compile-worker.js, driven by
 * compiler.ts): TypeScript's parser cannot be interrupted, so it runs where the sandbox can
 * terminate it when it takes too long.
 */
import { parentPort } from 'node:worker_threads';
import { compileProgram, type CompiledProgram } from '../common/compile';

export interface CompileRequest {
  id: number;
  source: string;
  fileName: string;
}

export interface CompileReply {
  id: number;
  compiled: CompiledProgram;
}

/** A crash of the parser (a stack overflow on deeply nested code, for one) is the submission's compile error. */
function compileOrExplain(source: string, fileName: string): CompiledProgram {
  try {
    return compileProgram(source, fileName);
  } catch (error) {
    const why = error instanceof RangeError ? 'the code nests too deeply for the compiler' : `the compiler failed on it (${(error as Error).message})`;
    return { ok: false, message: `${fileName} could not be compiled: ${why}.` };
  }
}

parentPort!.on('message', ({ id, source, fileName }: CompileRequest) => {
  parentPort!.postMessage({ id, compiled: compileOrExplain(source, fileName) } satisfies CompileReply);
});
// Loading TypeScript takes a few hundred milliseconds: done before the first submission's clock starts.
compileProgram('export {};', 'warm-up.ts');
parentPort!.postMessage('ready');
