import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadExercise, type SourceFile } from '../grader/exercise';
import { exerciseDefaults } from '../grader/grade';
import { loadTests, runTest, type RunRequest, type Runner } from '../grader/harness';
import { GradingSession } from '../grader/session';
import type { RunResult } from '../kernel/types';

/**
 * The held-in corpus of runs: every run that grading makes of every built-in
 * exercise's reference, starter and known-wrong solutions (explorations,
 * shrinking replays, counterexample traces). Each submission's runs are
 * summed up as a digest of their RunResults, in order, and compared with the
 * snapshot: a kernel change that is meant to be invisible (speed, layout)
 * must leave every decision, trace entry and report exactly as it was.
 * A change of behaviour updates the snapshot (`jest -u`) and says why.
 */
const slugs = readdirSync(path.join(__dirname, '..', 'exercises'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

interface Digest {
  runs: number;
  statuses: Record<string, number>;
  sha256: string;
  /** The round-robin runs alone: changes that add decisions to the other strategies must leave these as they were. */
  rrSha256: string;
}

async function gradeRecording(slug: string, submission: SourceFile): Promise<Digest> {
  const exercise = loadExercise(slug);
  const tests = [
    ...loadTests(exercise.visibleTests.source, exercise.visibleTests.fileName).map((test) => ({ test, visible: true })),
    ...loadTests(exercise.hiddenTests.source, exercise.hiddenTests.fileName).map((test) => ({ test, visible: false })),
  ];
  const session = await GradingSession.open([submission], exercise.metadata.limits);
  if ('compileError' in session) throw new Error(session.compileError);
  const hash = createHash('sha256');
  const rrHash = createHash('sha256');
  const statuses: Record<string, number> = {};
  let runs = 0;
  const recording: Runner = {
    async runMany(requests: RunRequest[]): Promise<RunResult[]> {
      const results = await session.runMany(requests);
      for (const result of results) {
        const json = JSON.stringify(result);
        hash.update(json);
        if (result.strategy === 'rr') rrHash.update(json);
        statuses[result.status] = (statuses[result.status] ?? 0) + 1;
        runs++;
      }
      return results;
    },
  };
  try {
    for (const { test, visible } of tests) await runTest(test, visible, recording, exerciseDefaults(exercise.metadata), 1);
  } finally {
    session.close();
  }
  return { runs, statuses, sha256: hash.digest('hex'), rrSha256: rrHash.digest('hex') };
}

describe('the corpus of graded runs replays identically', () => {
  it.each(slugs)('%s: every run of its reference, starter and known-wrong solutions is as recorded', async (slug) => {
    const exercise = loadExercise(slug);
    const digests: Record<string, Digest> = {};
    for (const submission of [exercise.solution, exercise.starter, ...exercise.wrong]) {
      digests[submission.fileName] = await gradeRecording(slug, submission);
    }
    expect(digests).toMatchSnapshot();
  });
});
