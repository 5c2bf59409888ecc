/**
 * The soak (`npm run soak`): 2,000 submissions of pipe-message, a fifth of them hostile, in a
 * seeded random order, graded in turn through one sandbox as a worker grades them
 * (test/support/soak.ts). It fails unless every honest submission gets its verdict alone; it
 * reports gradings/s beside an honest-only stream measured in the same run, and the child's
 * resident memory.
 *
 *   node --no-node-snapshot bench/soak/run.mjs [--gradings N] [--seed N] [--gradings-per-isolate N] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { loadLib } from '../support/build.mjs';
import { machine } from '../support/measure.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const gradings = Number(option('--gradings', '2000'));
const seed = Number(option('--seed', '1'));
const jsonFile = option('--json', null);
const gradingsPerIsolate = option('--gradings-per-isolate', null);

const lib = await loadLib();
const before = machine();
const report = await lib.soak({
  gradings,
  hostileShare: 0.2,
  seed,
  gradingsPerIsolate: gradingsPerIsolate === null ? undefined : Number(gradingsPerIsolate),
  onGraded: (done) => {
    if (done % 100 === 0) process.stderr.write(`${done}/${gradings} graded\n`);
  },
});
const summary = { bench: 'soak', machine: before, loadAverage1mAtEnd: machine().loadAverage1m, seed, gradingsPerIsolate: gradingsPerIsolate ?? 'default', ...report };
console.log(`\nSoak: ${report.gradings} gradings (${report.honest} honest, ${report.hostile} hostile) through one sandbox in ${report.seconds} s`);
console.log(`  ${report.gradingsPerSec} gradings/s; an honest-only stream in the same run: ${report.honestOnlyGradingsPerSec} gradings/s`);
console.log(`  child resident memory: first sample ${report.residentMb.first} MiB, max ${report.residentMb.max} MiB, last ${report.residentMb.last} MiB; ${report.children} children started`);
console.log(`  statuses: ${Object.entries(report.statuses).map(([status, count]) => `${status} ${count}`).join(', ')}`);
console.log(`  honest submissions not graded as alone: ${report.mismatches.length}`);
for (const mismatch of report.mismatches) console.log(`    ${mismatch}`);
console.log('\nJSON summary:');
console.log(JSON.stringify(summary, null, 2));
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(summary, null, 2)}\n`);
process.exit(report.mismatches.length === 0 ? 0 : 1);
