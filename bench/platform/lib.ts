/**
 * What the platform bench uses of the product, bundled by bench/platform/platform.mjs for plain Node:
 * the grader's sandbox client (the bare grade() the worker calls), the launcher's servers, and the
 * browser tests' Chromium.
 */
export { SandboxClient } from '../../grader/sandbox-client';
export { builtInExerciseFolder, readPackageFolder } from '../../grader/exercise';
export {
  freePort,
  keptSecret,
  nextCli,
  startEmbeddedPostgres,
  startPrivateRedis,
  startService,
  waitForOtherWebBuild,
  waitUntil,
  webBuildIsStale,
} from '../../scripts/local-services';
export { launchBrowser } from '../../test/support/browser';
