/**
 * Builds what runs outside the TypeScript toolchain:
 * - dist/isolate-runtime.js: the kernel and the realm set-up, loaded into every sandbox context;
 * - dist/sandbox-process.js: the child process that owns the isolates;
 * - dist/compile-worker.js: the worker thread that compiles submissions under a time limit;
 * - dist/cli.js: the `rendezvous` command line (bin/rendezvous.js loads it).
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const nodeExternals = ['isolated-vm', 'typescript', 'esbuild'];

await Promise.all([
  build({
    absWorkingDir: root,
    entryPoints: ['grader/isolate-entry.ts'],
    outfile: 'dist/isolate-runtime.js',
    bundle: true,
    platform: 'neutral',
    format: 'iife',
    target: 'es2022',
    // The runtime's API must be the script's completion value, never a global the student could
    // read: the bundle's exports land in a variable local to an outer arrow function that returns them.
    globalName: 'isolateRuntimeModule',
    banner: { js: '(() => {' },
    footer: { js: 'return isolateRuntimeModule.runtime;\n})();' },
    logLevel: 'warning',
  }),
  build({
    absWorkingDir: root,
    entryPoints: ['grader/sandbox-process.ts'],
    outfile: 'dist/sandbox-process.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    logLevel: 'warning',
  }),
  build({
    absWorkingDir: root,
    entryPoints: ['grader/compile-worker.ts'],
    outfile: 'dist/compile-worker.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    logLevel: 'warning',
  }),
  build({
    absWorkingDir: root,
    entryPoints: ['bin/cli.ts'],
    outfile: 'dist/cli.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    logLevel: 'warning',
  }),
]);
