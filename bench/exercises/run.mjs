/**
 * Grades every built-in exercise's reference solution and writes the table of
 * exercises/README.md: topics, tests, runs explored, and the measured grading
 * time (median wall and CPU time of several gradings after a warm-up, on one
 * core: grading is single-threaded).
 *
 *   npm run bench:exercises            prints the table and rewrites exercises/README.md
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildLib, root } from '../support/build.mjs';

const require = createRequire(import.meta.url);
const { grade, loadExercise } = require(await buildLib());

const GRADINGS = 5;
const README = path.join(root, 'exercises', 'README.md');
const TABLE_START = '<!-- table: written by npm run bench:exercises -->';
const TABLE_END = '<!-- end of table -->';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const rows = [];
for (const slug of readdirSync(path.join(root, 'exercises'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
  const exercise = loadExercise(slug);
  await grade(exercise, exercise.solution);
  const wall = [];
  const cpu = [];
  let result;
  for (let i = 0; i < GRADINGS; i++) {
    const before = process.cpuUsage();
    result = await grade(exercise, exercise.solution);
    const used = process.cpuUsage(before);
    wall.push(result.durationMs);
    cpu.push((used.user + used.system) / 1000);
  }
  if (result.score !== result.maxScore) throw new Error(`${slug}: the reference scored ${result.score}/${result.maxScore}`);
  const visible = result.tests.filter((t) => t.visible);
  const hidden = result.tests.filter((t) => !t.visible);
  rows.push({
    slug,
    title: exercise.metadata.title,
    topics: exercise.metadata.topics.join(', '),
    tests: `${visible.length} visible, ${hidden.length} hidden (${hidden.map((t) => t.weight).join('+')} points)`,
    wrong: exercise.wrong.length,
    runs: result.runs,
    wallMs: Math.round(median(wall)),
    cpuMs: Math.round(median(cpu)),
  });
  console.error(`${slug}: ${Math.round(median(wall))} ms (${result.runs} runs)`);
}

const table = [
  '| exercise | topics | tests | known-wrong solutions | runs explored | grading time (median) | CPU time |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| [\`${r.slug}\`](${r.slug}/statement.md) ${r.title} | ${r.topics} | ${r.tests} | ${r.wrong} | ${r.runs} | ${r.wallMs} ms | ${r.cpuMs} ms |`),
].join('\n');

const readme = readFileSync(README, 'utf8');
const start = readme.indexOf(TABLE_START);
const end = readme.indexOf(TABLE_END);
if (start < 0 || end < 0) throw new Error('exercises/README.md lost its table markers');
writeFileSync(README, `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`);
console.log(table);
