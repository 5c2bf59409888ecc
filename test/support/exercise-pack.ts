/**
 * The built-in pack's proof, shared by the test files that split it across
 * jest workers: each exercise validated with every known-wrong solution
 * graded under SEEDS base seeds.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadExercise } from '../../grader/exercise';
import { validate } from '../../grader/validate';

/** Base seeds each known-wrong solution is graded under in CI: two students with the same bug get the same verdict. */
export const SEEDS = 20;

/** The pack's slugs, sorted; shard `index` of `count` takes every count-th one. */
export function packSlugs(shard?: { index: number; count: number }): string[] {
  const slugs = readdirSync(path.join(__dirname, '..', '..', 'exercises'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return shard ? slugs.filter((_, position) => position % shard.count === shard.index) : slugs;
}

/** The lines of every check that failed, so a failure reads as validate's own report. */
export async function failedChecks(slug: string): Promise<string[]> {
  const checks = await validate(loadExercise(slug), { seeds: SEEDS });
  return checks.filter((check) => !check.ok).map((check) => check.line);
}

/** Generous: a whole exercise under 20 seeds on a busy 2-core machine. */
export const PROOF_TIMEOUT_MS = 15 * 60_000;
