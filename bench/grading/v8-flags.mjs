/**
 * A/B of V8 flag sets for the sandbox's child: V8's flags are process-wide, so
 * bench/grading/run.mjs (both builds in one process) cannot compare them. Each
 * set grades pipe-message's reference solution in processes of its own, the
 * sets taking turns in every round, fresh isolate per grading as the child does:
 * `cold` back to back (a saturated worker), `warm` after warmUpNextRealm (an
 * idle one). Prints each set's median over rounds of its processes' median CPU
 * and wall time per grading, and how many times faster than the first set.
 *
 *   node bench/grading/v8-flags.mjs cold|warm ROUNDS 'none' '--flag=1 --other' '@REF --flag' ...
 *
 * Grades with this tree's bench bundle (built by bench/grading/run.mjs, or here if missing), or,
 * for a set that starts with @REF, with that commit's grader (bench/support/build.mjs): a build
 * with the flags its sandbox child runs with against another with its own is the product as shipped.
 */
import { execFileSync } from 'node:child_process';
import { setImmediate } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { baselineCommit, loadBaselineLib, loadLib } from '../support/build.mjs';
import { machine, median, now } from '../support/measure.mjs';

/** Gradings per process, after two that are not counted (the process's own start-up). */
const GRADINGS = 8;
const SELF = fileURLToPath(import.meta.url);

/** In a process of one flag set: grades, prints its median CPU and wall time per grading as JSON. */
async function gradeInThisProcess(mode, commit) {
  const lib = commit ? await loadBaselineLib(commit) : await loadLib({ reuse: true });
  const exercise = lib.loadExercise('pipe-message');
  const cpu = [];
  const wall = [];
  for (let i = 0; i < GRADINGS + 2; i++) {
    // Pending macrotasks first: the next fresh isolate is made then, as in the child between jobs.
    await new Promise((resolve) => setImmediate(resolve));
    if (mode === 'warm') await lib.warmUpNextRealm(exercise, { coreIsIdle: () => true });
    const began = now();
    const cpuBefore = process.cpuUsage();
    const result = await lib.grade(exercise, exercise.solution);
    const used = process.cpuUsage(cpuBefore);
    if (result.status !== 'graded' || result.score !== result.maxScore) throw new Error(`the reference solution should pass: ${result.status} ${result.message ?? ''}`);
    if (i < 2) continue;
    cpu.push((used.user + used.system) / 1000);
    wall.push(now() - began);
  }
  console.log(JSON.stringify({ cpuMs: median(cpu), wallMs: median(wall) }));
}

const [mode, roundsArg, ...sets] = process.argv.slice(2);
if (process.env.V8_FLAGS_BENCH_CHILD) {
  await gradeInThisProcess(mode, process.env.V8_FLAGS_BENCH_COMMIT);
} else {
  if (!['cold', 'warm'].includes(mode) || !(Number(roundsArg) > 0) || sets.length === 0) {
    throw new Error("usage: node bench/grading/v8-flags.mjs cold|warm ROUNDS 'none' '--flag …' '@REF --flag …' …");
  }
  await loadLib({ reuse: true });
  const flagSets = sets.map((set) => {
    const words = set === 'none' ? [] : set.split(' ');
    return words[0]?.startsWith('@') ? { commit: baselineCommit(words[0].slice(1)), flags: words.slice(1) } : { commit: '', flags: words };
  });
  // Builds a baseline's bundle now, not inside a measured process.
  for (const { commit } of flagSets) if (commit) await loadBaselineLib(commit);
  const before = machine();
  const measured = flagSets.map(() => ({ cpuMs: [], wallMs: [] }));
  for (let round = 0; round < Number(roundsArg); round++) {
    flagSets.forEach(({ commit, flags }, index) => {
      const output = execFileSync(process.execPath, ['--no-node-snapshot', ...flags, SELF, mode], {
        encoding: 'utf8', env: { ...process.env, V8_FLAGS_BENCH_CHILD: '1', V8_FLAGS_BENCH_COMMIT: commit },
      });
      const { cpuMs, wallMs } = JSON.parse(output.trim().split('\n').pop());
      measured[index].cpuMs.push(cpuMs);
      measured[index].wallMs.push(wallMs);
    });
  }
  const first = measured[0];
  console.log(`${mode} gradings of pipe-message, ${roundsArg} rounds; load ${before.loadAverage1m} → ${machine().loadAverage1m}`);
  measured.forEach(({ cpuMs, wallMs }, index) => {
    const speedUp = (of) => (median(first[of]) / median(measured[index][of])).toFixed(2);
    console.log(`${sets[index].padEnd(45)} CPU ${median(cpuMs).toFixed(1)} ms (${speedUp('cpuMs')}×), wall ${median(wallMs).toFixed(1)} ms (${speedUp('wallMs')}×); CPU by round ${cpuMs.map(Math.round).join(', ')}`);
  });
}
