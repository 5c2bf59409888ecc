/**
 * Grades one submission in a fresh process and exits: the process-per-submission
 * baseline of bench/grading/run.mjs (what a grader that starts a container or
 * a process per submission pays on every submission).
 *
 *   node --no-node-snapshot bench/grading/grade-once.mjs [EXERCISE] [SUBMISSION-FILE]
 *
 * EXERCISE is a built-in slug or a folder (default pipe-message); the
 * submission defaults to the exercise's reference solution. Prints one line of
 * JSON: status, score, maxScore, runs and the grading's own durationMs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadLib } from '../support/build.mjs';

const [slug = 'pipe-message', file] = process.argv.slice(2);
// The bundle the benchmark built a moment ago; built here only if it is missing.
const { grade, loadExercise } = await loadLib({ reuse: true });
const exercise = loadExercise(slug);
const submission = file ? { fileName: path.basename(file), source: readFileSync(file, 'utf8') } : exercise.solution;
const result = await grade(exercise, submission);
const { status, score, maxScore, runs, durationMs } = result;
console.log(JSON.stringify({ status, score, maxScore, runs, durationMs }));
