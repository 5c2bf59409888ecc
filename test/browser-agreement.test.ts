import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadExercise, exerciseDefaults, type SourceFile } from '../grader/exercise';
import { loadTests, runTest, type RunRequest, type Runner } from '../grader/harness';
import { resolveLimits } from '../common/job';
import { GradingSession } from '../grader/session';
import type { RunResult } from '../kernel/types';
import { startBrowserKernel, type BrowserKernel } from './support/browser-kernel';

/**
 * The kernel in the browser and the kernel in the grader's sandbox agree: every run that grading
 * makes of every built-in exercise's reference and known-wrong solutions (explorations, shrinking
 * replays, counterexample traces) is made again by the Run panel's bundle with the same program,
 * inputs, schedule, seed and decisions, and must give the same RunResult, byte for byte as JSON.
 */
const slugs = readdirSync(path.join(__dirname, '..', 'exercises'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

// Each exercise grades its reference and known-wrong solutions twice over (sandbox and browser bundle).
jest.setTimeout(600_000);

let browserKernel: BrowserKernel;

beforeAll(() => {
  browserKernel = startBrowserKernel();
});

afterAll(async () => {
  await browserKernel.close();
});

/** Grades `submission` in the sandbox; every batch of runs is made again in the browser bundle and compared. */
async function gradeInBoth(slug: string, submission: SourceFile): Promise<{ runs: number; disagreements: string[] }> {
  const exercise = loadExercise(slug);
  const tests = [
    ...loadTests(exercise.visibleTests.source, exercise.visibleTests.fileName).map((test) => ({ test, visible: true })),
    ...loadTests(exercise.hiddenTests.source, exercise.hiddenTests.fileName).map((test) => ({ test, visible: false })),
  ];
  const cpuMs = resolveLimits(exercise.metadata.limits).cpuMs;
  const session = await GradingSession.open([submission], exercise.metadata.limits);
  if ('compileError' in session) throw new Error(session.compileError);
  let runs = 0;
  const disagreements: string[] = [];
  const comparing: Runner = {
    async runMany(requests: RunRequest[]): Promise<RunResult[]> {
      const results = await session.runMany(requests);
      const replies = await browserKernel.run(requests.map((run) => ({ source: submission.source, fileName: submission.fileName, run, cpuMs })));
      results.forEach((result, index) => {
        runs++;
        const browser = replies[index].result;
        if (disagreements.length < 3 && JSON.stringify(browser) !== JSON.stringify(result)) {
          disagreements.push(`${submission.fileName}, run ${runs} (${JSON.stringify(requests[index].settings)}): sandbox ${result.status} after ${result.steps} steps, browser ${browser.status} after ${browser.steps} steps`);
        }
      });
      return results;
    },
  };
  try {
    for (const { test, visible } of tests) await runTest(test, visible, comparing, exerciseDefaults(exercise.metadata), 1);
  } finally {
    session.close();
  }
  return { runs, disagreements };
}

describe('the browser build of the kernel agrees with the grader', () => {
  it.each(slugs)('%s: the reference and every known-wrong solution give the same RunResult in the browser bundle as in the sandbox, run for run', async (slug) => {
    const exercise = loadExercise(slug);
    let runs = 0;
    const disagreements: string[] = [];
    for (const submission of [exercise.solution, ...exercise.wrong]) {
      const graded = await gradeInBoth(slug, submission);
      runs += graded.runs;
      disagreements.push(...graded.disagreements);
    }
    expect(disagreements).toEqual([]);
    expect(runs).toBeGreaterThan(exercise.wrong.length);
  });
});
