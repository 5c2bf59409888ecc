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

/** A CommonJS bundle for Node that loads the native and heavy packages from node_modules. */
function nodeBundle(entry, outfile) {
  return build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    logLevel: 'warning',
  });
}

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
  nodeBundle('grader/sandbox-process.ts', 'dist/sandbox-process.js'),
  nodeBundle('grader/compile-worker.ts', 'dist/compile-worker.js'),
  nodeBundle('bin/cli.ts', 'dist/cli.js'),
]);
