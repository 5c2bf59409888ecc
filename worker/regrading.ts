/**
 * One submission of a regrade (lib/regrades.ts), graded against the regrade's version: load (claim
 * the item, read the version), grade (every test, in the job's sandbox), store (the item's verdict
 * and the regrade's count together, guarded on the item's state, so a second attempt stores
 * nothing). Nothing is announced: the student's submission page shows the stored result, which
 * changes when the whole regrade finishes.
 */
import type { Logger } from 'pino';
import type { GradeResult } from '../grader/grade';
import { GRADING_ATTEMPTS } from '../lib/queue';
import { claimRegradeItem, storeRegradeVerdict } from '../lib/regrades';
import { InfrastructureError, PhaseTimer, platformFailureMessage, type GradingDeps, type VersionCache } from './job';

/** Ends an item as the platform's failure (its submission keeps its result); false when a verdict was already stored. */
export function storeRegradeFailure(regradeItemId: string, attempts: number): Promise<boolean> {
  const failure: GradeResult = { status: 'internal-error', message: platformFailureMessage(attempts), score: 0, maxScore: 0, tests: [], durationMs: 0, phases: {}, runs: 0 };
  return storeRegradeVerdict(regradeItemId, failure, 'error');
}

export async function regradeOnce(deps: GradingDeps, versions: VersionCache, regradeItemId: string, log: Logger): Promise<string> {
  const phases = new PhaseTimer();
  const loaded = await phases.time('load', async () => {
    const claimed = await claimRegradeItem(regradeItemId);
    if (typeof claimed === 'string') return claimed;
    return { claimed, exercise: await versions.get(claimed.versionId) };
  });
  if (loaded === 'missing' || loaded === 'final') {
    log.info({ outcome: loaded }, 'regrade item needs no grading');
    return loaded;
  }
  if (loaded === 'attempts-spent') {
    log.error({ attempts: GRADING_ATTEMPTS }, 'regrade item picked up too many times without a verdict; ending it as the platform\'s failure');
    await storeRegradeFailure(regradeItemId, GRADING_ATTEMPTS);
    return 'error';
  }
  const { claimed, exercise } = loaded;
  const grade = await phases.time('grade', () =>
    deps.pool.with((sandbox) => sandbox.grade({ exercise, submission: { fileName: 'submission.ts', source: claimed.code }, options: { visibleOnly: false } })),
  );
  if (grade.status === 'internal-error') throw new InfrastructureError(grade.message ?? 'the sandbox answered internal-error');
  const stored = await phases.time('store', () => storeRegradeVerdict(regradeItemId, grade, 'graded'));
  log.info(
    { status: grade.status, score: grade.score, maxScore: grade.maxScore, pickups: claimed.attempts, stored, phases: phases.ms, graderPhases: grade.phases },
    stored ? 'regraded' : 'regraded, but another attempt had stored its verdict first',
  );
  return stored ? 'regraded' : 'already-regraded';
}
