/**
 * What a livelocked submission costs: every known-wrong solution of the pack
 * whose grading hits the step limit, graded warm (as bench/grading does) by
 * this tree's grader (A) and a baseline commit's (B), against the same
 * exercise's reference solution. The target: at most 2× a passing
 * grading.
 *
 *   node --no-node-snapshot bench/exploration/step-limit.mjs [--baseline REF] [--rounds N]
 */
import { baselineCommit, loadBaselineLib, loadLib } from '../support/build.mjs';
import { machine, median, now, printTable } from '../support/measure.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rounds = Number(option('--rounds', 3));
const baseline = baselineCommit(option('--baseline', '7bee0ad'));
const builds = { A: await loadLib(), B: await loadBaselineLib(baseline) };

/** Grades one submission through the lib's session and harness, counting the runs that hit the step limit. */
async function gradeCounting(lib, exercise, submission) {
  const tests = [
    ...lib.loadTests(exercise.visibleTests.source, exercise.visibleTests.fileName).map((test) => ({ test, visible: true })),
    ...lib.loadTests(exercise.hiddenTests.source, exercise.hiddenTests.fileName).map((test) => ({ test, visible: false })),
  ];
  const started = now();
  const session = await lib.GradingSession.open([submission], exercise.metadata.limits);
  let stepLimited = 0;
  let runs = 0;
  const runner = {
    async runMany(requests, options) {
      const results = await session.runMany(requests, options);
      runs += results.length;
      stepLimited += results.filter((result) => result.status === 'step-limit').length;
      return results;
    },
  };
  let score = 0;
  try {
    for (const { test, visible } of tests) score += (await lib.runTest(test, visible, runner, lib.exerciseDefaults(exercise.metadata), 1)).score;
  } finally {
    session.close();
  }
  return { ms: now() - started, runs, stepLimited, score };
}

const slugs = ['bounded-buffer-busywait', 'peterson', 'reliable-transfer', 'shared-memory', 'rendezvous'];
const rows = [];
for (const slug of slugs) {
  const exercises = { A: builds.A.loadExercise(slug), B: builds.B.loadExercise(slug) };
  // Which submissions livelock is decided once, by B (the baseline explores them fully).
  const candidates = [];
  for (const submission of exercises.B.wrong) {
    const probe = await gradeCounting(builds.B, exercises.B, submission);
    if (probe.stepLimited > 0) candidates.push(submission.fileName);
  }
  if (candidates.length === 0) continue;
  const times = {};
  const note = (key, value) => (times[key] ??= []).push(value);
  for (let round = 0; round < rounds; round++) {
    for (const build of ['A', 'B']) {
      const exercise = exercises[build];
      note(`${build} reference`, (await gradeCounting(builds[build], exercise, exercise.solution)).ms);
      for (const file of candidates) {
        const submission = exercise.wrong.find((w) => w.fileName === file);
        const graded = await gradeCounting(builds[build], exercise, submission);
        note(`${build} ${file}`, graded.ms);
        note(`${build} ${file} step-limited`, graded.stepLimited);
      }
    }
  }
  for (const file of candidates) {
    const row = { submission: `${slug}/${file}` };
    for (const build of ['B', 'A']) {
      const ms = median(times[`${build} ${file}`]);
      const reference = median(times[`${build} reference`]);
      row[`${build} ms`] = ms.toFixed(0);
      row[`${build} step-limit runs`] = String(median(times[`${build} ${file} step-limited`]));
      row[`${build} × reference`] = (ms / reference).toFixed(1);
    }
    rows.push(row);
  }
}
console.log(`machine: ${JSON.stringify(machine())}; baseline ${baseline.slice(0, 7)}; median of ${rounds} rounds`);
const header = Object.keys(rows[0] ?? { submission: '' });
printTable(header, rows.map((row) => header.map((key) => row[key])));
