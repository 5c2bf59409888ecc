/**
 * The web app's production build for the platform benches, in a folder of their own
 * (`.next-bench` unless told), so a bench never rebuilds another session's `.next`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { nextCli, waitForOtherWebBuild, webBuildIsStale } from '../../scripts/local-services';

const ROOT = path.join(__dirname, '..', '..');
export const BENCH_DIST_DIR = '.next-bench';

/**
 * Makes `next start` serve the build in `distDir`, building it first when its sources are newer;
 * `asBuilt` serves it as it is (a build kept from an earlier commit, for an A/B in one session).
 */
export async function ensureWebBuild(distDir = BENCH_DIST_DIR, asBuilt = false): Promise<void> {
  process.env.NEXT_DIST_DIR = distDir;
  await waitForOtherWebBuild(ROOT, distDir);
  if (asBuilt || !webBuildIsStale(ROOT, distDir)) return;
  console.log(`building the web app into ${distDir} (next build)…`);
  const built = spawnSync(process.execPath, [nextCli(ROOT), 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (built.status !== 0) throw new Error(`next build exited with ${built.status}`);
}
