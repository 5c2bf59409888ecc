/**
 * Builds what runs outside the TypeScript toolchain:
 * - lib/generated/prisma: the Prisma client, generated from prisma/schema.prisma;
 * - dist/isolate-runtime.js: the kernel and the realm set-up, loaded into every sandbox context;
 * - dist/sandbox-process.js: the child process that owns the isolates;
 * - dist/compile-worker.js: the worker thread that compiles submissions under a time limit;
 * - dist/cli.js: the `rendezvous` command line (bin/rendezvous.js loads it);
 * - dist/browser-kernel.js: the Run panel's kernel as the browser gets it, for the agreement test and the bench;
 * - dist/harness-declarations.json: the test harness's types, for the authoring page's test editors;
 * - dist/seed.js, dist/worker.js, dist/demo.js: the demo seed, the grading worker and `npm run demo`.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeHarnessDeclarations } from './harness-declarations.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// Generating the client is WebAssembly and never runs the schema engine, which offline machines
// cannot download: telling the CLI where "it" is keeps it from trying.
execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
const nodeExternals = ['isolated-vm', 'typescript', 'esbuild'];

/** A CommonJS bundle for Node that loads the native and heavy packages (or, with `packages: 'external'`, all of them) from node_modules. */
function nodeBundle(entry, outfile, options = { external: nodeExternals }) {
  return build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    ...options,
  });
}

const bundles = Promise.all([
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
  // Bundled for the browser (TypeScript included), in CommonJS only so that Node can load it.
  build({
    absWorkingDir: root,
    entryPoints: ['components/run/browser-kernel.ts'],
    outfile: 'dist/browser-kernel.js',
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    minify: true,
    logLevel: 'warning',
  }),
  nodeBundle('grader/sandbox-process.ts', 'dist/sandbox-process.js'),
  nodeBundle('grader/compile-worker.ts', 'dist/compile-worker.js'),
  nodeBundle('bin/cli.ts', 'dist/cli.js'),
  // The platform's processes load their many dependencies from node_modules, like the web app.
  nodeBundle('prisma/seed.ts', 'dist/seed.js', { packages: 'external' }),
  nodeBundle('worker/main.ts', 'dist/worker.js', { packages: 'external' }),
  nodeBundle('scripts/demo.ts', 'dist/demo.js', { packages: 'external' }),
]);
// TypeScript works on this thread while esbuild's bundles build in their own process.
writeHarnessDeclarations(root, 'dist/harness-declarations.json');
await bundles;
