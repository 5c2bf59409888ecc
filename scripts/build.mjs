/**
 * Builds what runs outside the TypeScript toolchain:
 * - lib/generated/prisma: the Prisma client, generated from prisma/schema.prisma;
 * - dist/isolate-runtime.js: the kernel and the realm set-up, loaded into every sandbox context;
 * - dist/sandbox-process.js: the child process that owns the isolates;
 * - dist/cli.js: the `rendezvous` command line (bin/rendezvous.js loads it).
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// Generating the client is WebAssembly and never runs the schema engine, which offline machines
// cannot download: telling the CLI where "it" is keeps it from trying.
execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
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
    entryPoints: ['bin/cli.ts'],
    outfile: 'dist/cli.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    logLevel: 'warning',
  }),
  build({ absWorkingDir: root, entryPoints: ['prisma/seed.ts'], outfile: 'dist/seed.js', bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning' }),
  build({ absWorkingDir: root, entryPoints: ['worker/main.ts'], outfile: 'dist/worker.js', bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning' }),
  build({ absWorkingDir: root, entryPoints: ['scripts/demo.ts'], outfile: 'dist/demo.js', bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning' }),
]);
