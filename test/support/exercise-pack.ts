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

/**
 * Seconds each exercise's proof under 20 seeds took on a busy 2-core machine:
 * only to balance the shards (the step-limited known-wrongs make a few far
 * dearer than the rest). An exercise missing here counts as an average one.
 */
const MEASURED_COST: Record<string, number> = {
  peterson: 897, 'direct-messages': 411, 'bounded-buffer-busywait': 353, 'reliable-transfer': 329, 'udp-echo': 300,
  'tcp-echo-server': 247, 'rpc-stubs': 210, 'bounded-buffer-semaphores': 190, 'shell-pipeline': 187, signals: 185,
  'message-queue': 150, 'mailbox-workers': 140, 'mach-ports': 136, 'shared-memory': 74, 'pipe-message': 64,
  'named-pipe': 59, 'fork-exec-wait': 50, rendezvous: 27,
};
const AVERAGE_COST = 200;

/** The pack's slugs, sorted; with a shard, the ones of that shard, dearest first dealt to the cheapest shard so far. */
export function packSlugs(shard?: { index: number; count: number }): string[] {
  const slugs = readdirSync(path.join(__dirname, '..', '..', 'exercises'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  if (!shard) return slugs;
  const cost = (slug: string): number => MEASURED_COST[slug] ?? AVERAGE_COST;
  const loads = Array.from({ length: shard.count }, () => ({ total: 0, slugs: [] as string[] }));
  for (const slug of [...slugs].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b))) {
    const lightest = loads.reduce((best, load) => (load.total < best.total ? load : best));
    lightest.total += cost(slug);
    lightest.slugs.push(slug);
  }
  return loads[shard.index].slugs.sort();
}

/** The lines of every check that failed, so a failure reads as validate's own report. */
export async function failedChecks(slug: string): Promise<string[]> {
  const checks = await validate(loadExercise(slug), { seeds: SEEDS });
  return checks.filter((check) => !check.ok).map((check) => check.line);
}

/** Generous: a whole exercise under 20 seeds on a busy 2-core machine. */
export const PROOF_TIMEOUT_MS = 15 * 60_000;
