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
 * Seconds each exercise's proof under 20 seeds took on this project's 2-core
 * machine (both halves in parallel, other work beside them): only to balance
 * the halves, since the step-limited known-wrongs make a few far dearer than
 * the rest. An exercise missing here counts as an average one.
 */
const MEASURED_COST: Record<string, number> = {
  'bounded-buffer-busywait': 185, peterson: 119, 'reliable-transfer': 94, 'rpc-stubs': 51, 'mailbox-workers': 45,
  'mach-ports': 39, 'direct-messages': 38, signals: 37, 'message-queue': 33, 'shell-pipeline': 32, 'udp-echo': 29,
  'fork-exec-wait': 26, 'tcp-echo-server': 24, 'bounded-buffer-semaphores': 22, 'named-pipe': 18, 'pipe-message': 13,
  'shared-memory': 12, rendezvous: 4,
};
const AVERAGE_COST = 45;

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
