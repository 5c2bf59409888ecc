/**
 * Bundles bench/support/lib.ts (kernel, grading session, grade()) for plain Node.
 *
 * The bundle goes under node_modules/.cache so that its `require('isolated-vm')`
 * and `require('typescript')` resolve from the project. The grader finds
 * dist/isolate-runtime.js and exercises/ relative to its own source folder
 * (`__dirname` in grader/*.ts), so `__dirname` is pinned to grader/ here: the
 * bundle then reads exactly the files the grader's own modules would.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const libFile = path.join(root, 'node_modules', '.cache', 'rendezvous-bench', 'lib.cjs');

/** Builds the bundle (a fraction of a second) unless `reuse` and it exists already. */
export async function buildLib({ reuse = false } = {}) {
  if (reuse && existsSync(libFile)) return libFile;
  if (!existsSync(path.join(root, 'dist', 'isolate-runtime.js'))) {
    throw new Error('dist/isolate-runtime.js is missing: run `npm run build` first');
  }
  // Loaded only when building, so that a fresh process reusing the bundle (grade-once.mjs) does not pay for it.
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: root,
    entryPoints: ['bench/support/lib.ts'],
    outfile: libFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['isolated-vm', 'typescript', 'esbuild'],
    define: { __dirname: JSON.stringify(path.join(root, 'grader')) },
    logLevel: 'warning',
  });
  return libFile;
}

/** The bundle's exports (see lib.ts): Kernel, GradingSession, grade, loadExercise, moduleFrom, and grade()'s parts. */
export async function loadLib(options) {
  const file = await buildLib(options);
  return createRequire(import.meta.url)(file);
}
