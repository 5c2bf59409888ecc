/**
 * A short soak in the test suite (the 2,000-grading one is `npm run soak`): 40 submissions, a
 * quarter of them hostile, in a seeded random order through one sandbox. Every honest one gets
 * its verdict alone, and the child's resident memory stays bounded.
 */
import { soak } from './support/soak';

/** Far above a healthy child's few hundred MiB, far below the 2 GB a string bomb reached before the data cap. */
const RESIDENT_BOUND_MB = 1024;

test('40 mixed submissions through one sandbox: every honest one scores as alone, and the child stays bounded', async () => {
  const report = await soak({ gradings: 40, hostileShare: 0.25, seed: 12 });
  expect(report.mismatches).toEqual([]);
  expect(report.hostile).toBeGreaterThan(0);
  expect(report.honest).toBeGreaterThan(0);
  expect(report.residentMb.max).toBeGreaterThan(0);
  expect(report.residentMb.max).toBeLessThan(RESIDENT_BOUND_MB);
}, 300_000);
