/**
 * Exploration strength: the bug programs of programs.mjs, each explored by
 * every strategy within the grader's default budget (200 schedules, as
 * `t.explore` runs by default), by this tree's grader (A) and a baseline
 * commit's (B, --baseline REF, default 7bee0ad: before issue 11), in the same
 * run. For each: whether the bug was found, after how many runs, and whether
 * the correct variant was (wrongly) failed.
 *
 *   node --no-node-snapshot bench/exploration/run.mjs [--baseline REF] [--only PROGRAM,...] [--json FILE]
 *
 * Strategies: rr (one round-robin run), random, pct, icb (preemption-bounded
 * search, A only), exhaustive (the bounded exhaustive search with
 * partial-order reduction), default (what an exercise's test gets without
 * naming strategies: random and pct, and in A a bounded search on top).
 */
import { writeFileSync } from 'node:fs';
import { baselineCommit, loadBaselineLib, loadLib } from '../support/build.mjs';
import { machine, now, printTable } from '../support/measure.mjs';
import { PROGRAMS } from './programs.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const baseline = baselineCommit(option('--baseline', '7bee0ad'));
const jsonFile = option('--json', null);
const only = option('--only', null)?.split(',') ?? null;
const programs = only ? PROGRAMS.filter((program) => only.includes(program.name)) : PROGRAMS;
const BUDGET = 200;

const STRATEGIES = {
  rr: null,
  random: { runs: BUDGET, strategies: ['random'] },
  pct: { runs: BUDGET, strategies: ['pct'] },
  icb: { runs: BUDGET, strategies: ['icb'] },
  exhaustive: { runs: BUDGET, exhaustive: true },
  default: { runs: BUDGET },
};
const builds = { B: await loadBaselineLib(baseline), A: await loadLib() };
const available = { A: Object.keys(STRATEGIES), B: Object.keys(STRATEGIES).filter((name) => name !== 'icb') };

/** A test file checking the program's property under one strategy, as an exercise author would write it. */
function testSource(program, strategy) {
  const spec = STRATEGIES[strategy];
  const explore = spec === null ? 'await t.run({}, [property])' : `await t.explore(${JSON.stringify(spec)}, [property])`;
  return `export default function tests({ test, props }) {
    test('${program.name}', async (t) => {
      const property = (${program.property.toString()})(props);
      ${explore};
    });
  }`;
}

/**
 * The run that first failed, counting the round-robin run as 1: the message
 * names it ("run 37 of 200"; the bounded search counts its own runs, after the
 * round-robin one, and in the default after the sampled seeds too; exhaustive
 * exploration its own). Runs are made in batches,
 * so the outcome's run count is rounded up to a batch.
 */
function runsToHit(outcome, strategy) {
  const message = outcome.message ?? '';
  const bounded = /preemption-bounded search, run (\d+)/.exec(message);
  // Beside sampling, the bounded search runs after the round-robin run and the sampled seeds.
  if (bounded) return Number(bounded[1]) + (strategy === 'default' ? BUDGET : 1);
  const numbered = /run (\d+)/.exec(message);
  return numbered ? Number(numbered[1]) : outcome.runs;
}

/** Explores one source under one strategy; what the test concluded and after how many runs. */
async function explore(lib, source, program, strategy) {
  const session = await lib.GradingSession.open([{ source, fileName: `${program.name}.ts` }]);
  if ('compileError' in session) throw new Error(`${program.name}: ${session.compileError}`);
  try {
    const [test] = lib.loadTests(testSource(program, strategy), 'tests/hidden.ts');
    const started = now();
    const outcome = await lib.runTest(test, false, session, { programs: [{}], settings: {} }, 1);
    return { failed: !outcome.passed, runs: runsToHit(outcome, strategy), ms: now() - started, message: outcome.message, coverage: outcome.coverage ?? null };
  } finally {
    session.close();
  }
}

const results = [];
for (const program of programs) {
  for (const build of ['B', 'A']) {
    for (const strategy of available[build]) {
      const bug = await explore(builds[build], program.buggy, program, strategy);
      const correct = await explore(builds[build], program.correct, program, strategy);
      results.push({ program: program.name, build, strategy, found: bug.failed, runsToHit: bug.failed ? bug.runs : null, falsePositive: correct.failed, correctMessage: correct.failed ? correct.message : null, coverage: correct.coverage });
      process.stderr.write(`${program.name} ${build} ${strategy}: ${bug.failed ? `found after ${bug.runs} runs` : 'missed'}${correct.failed ? `; FALSE POSITIVE: ${correct.message}` : ''}\n`);
    }
  }
}

const cell = (program, build, strategy) => {
  const found = results.find((r) => r.program === program && r.build === build && r.strategy === strategy);
  if (!found) return '';
  return `${found.found ? String(found.runsToHit) : '–'}${found.falsePositive ? ' FP' : ''}`;
};
const columns = [...available.B.map((s) => ['B', s]), ...available.A.map((s) => ['A', s])];
console.log(`machine: ${JSON.stringify(machine())}; baseline ${baseline.slice(0, 7)}; budget ${BUDGET} schedules; a cell is the runs to the first failing one ('–': not found), FP a false positive on the correct variant`);
printTable(['program', ...columns.map(([build, strategy]) => `${build} ${strategy}`)], programs.map((program) => [program.name, ...columns.map(([build, strategy]) => cell(program.name, build, strategy))]));
for (const [build, strategy] of columns) {
  const rows = results.filter((r) => r.build === build && r.strategy === strategy);
  console.log(`${build} ${strategy}: ${rows.filter((r) => r.found).length} of ${rows.length} bugs found, ${rows.filter((r) => r.falsePositive).length} false positives`);
}
if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ machine: machine(), baseline, budget: BUDGET, results }, null, 2));
