/**
 * Bundles bench/support/lib.ts (kernel, grading session, grade()) for plain Node,
 * for this working tree and for a baseline commit (the A/B benches load both).
 *
 * The bundle goes under node_modules/.cache so that its `require('isolated-vm')`
 * and `require('typescript')` resolve from the project. The grader finds
 * dist/isolate-runtime.js and exercises/ relative to its own source folder
 * (`__dirname` in grader/*.ts), so `__dirname` is pinned to grader/ here: the
 * bundle then reads exactly the files the grader's own modules would.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const cacheDir = path.join(root, 'node_modules', '.cache', 'rendezvous-bench');
export const libFile = path.join(cacheDir, 'lib.cjs');

/** Builds the bundle (a fraction of a second) unless `reuse` and it exists already. */
export async function buildLib({ reuse = false } = {}) {
  if (reuse && existsSync(libFile)) return libFile;
  return bundle(root, libFile);
}

/** Bundles `tree`'s bench/support/lib.ts into `outfile`, its grader reading `tree`'s dist/ and exercises/. */
async function bundle(tree, outfile) {
  if (!existsSync(path.join(tree, 'dist', 'isolate-runtime.js'))) {
    throw new Error(`${path.join(tree, 'dist', 'isolate-runtime.js')} is missing: run \`npm run build\` first`);
  }
  // Loaded only when building, so that a fresh process reusing the bundle (grade-once.mjs) does not pay for it.
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: tree,
    entryPoints: ['bench/support/lib.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['isolated-vm', 'typescript', 'esbuild'],
    define: { __dirname: JSON.stringify(path.join(tree, 'grader')) },
    logLevel: 'warning',
  });
  return outfile;
}

const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();

/**
 * The commit an A/B bench measures this tree against: `ref` if given, else
 * where this branch left main, or HEAD's parent when HEAD is on main (after a
 * merge, the first parent: main as it was before).
 */
export function baselineCommit(ref) {
  if (ref) return git('rev-parse', '--verify', `${ref}^{commit}`);
  const head = git('rev-parse', 'HEAD');
  let forkPoint = null;
  try {
    forkPoint = git('merge-base', 'HEAD', 'main');
  } catch {
    // No branch named main (a detached clone): fall back to the parent.
  }
  return forkPoint && forkPoint !== head ? forkPoint : git('rev-parse', 'HEAD~1');
}

/**
 * Builds the baseline's bundle unless it exists: the commit's files (git
 * archive) in the cache, sharing this tree's node_modules, built with its own
 * build script. Kept per commit, so a repeated A/B builds nothing.
 */
export async function buildBaselineLib(commit) {
  const outfile = path.join(cacheDir, `baseline-${commit}.cjs`);
  if (!existsSync(outfile)) {
    const tree = path.join(cacheDir, `baseline-${commit}`);
    const partial = `${tree}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    execFileSync('tar', ['-x', '-C', partial], { input: execFileSync('git', ['-C', root, 'archive', '--format=tar', commit], { maxBuffer: 1 << 30 }) });
    symlinkSync(path.join(root, 'node_modules'), path.join(partial, 'node_modules'), 'dir');
    rmSync(tree, { recursive: true, force: true });
    renameSync(partial, tree);
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: tree, stdio: 'inherit' });
    await bundle(tree, outfile);
  }
  return outfile;
}

/** The baseline's bundle, as loadLib gives this tree's (see buildBaselineLib). */
export async function loadBaselineLib(commit) {
  return createRequire(import.meta.url)(await buildBaselineLib(commit));
}

/** The bundle's exports (see lib.ts): Kernel, GradingSession, grade, loadExercise, moduleFrom, and grade()'s parts. */
export async function loadLib(options) {
  const file = await buildLib(options);
  return createRequire(import.meta.url)(file);
}
