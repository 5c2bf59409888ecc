/**
 * What the hostile corpus's test and the soak share: the corpus files, the exercise they are
 * graded against (pipe-message with tight limits), and what a grading's verdict is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Group } from '../../kernel/types';
import { builtInExerciseFolder, parseExercise, readPackageFolder, type Exercise, type SourceFile } from '../../grader/exercise';
import type { GradeResult } from '../../grader/grade';
import type { ExercisePackage } from '../../grader/sandbox-client';

/** Found from the exercise pack, which the grader locates the same way from its tests and from the benchmarks' bundle. */
const CORPUS = path.join(builtInExerciseFolder('pipe-message')!, '..', '..', 'test', 'hostile');

/**
 * pipe-message with 300 ms of CPU per run instead of 2,000 and 5,000 scheduling points instead of
 * 100,000 (its reference solution needs a few hundred), so that an endless loop costs a fraction
 * of a second and a busy wait a few milliseconds per run.
 */
const CPU_MS = 300;
const MAX_STEPS = 5000;

/** The corpus's program names, sorted. */
export function hostileCorpus(): string[] {
  return readdirSync(CORPUS).filter((name) => name.endsWith('.ts')).map((name) => name.slice(0, -3)).sort();
}

export function hostileSubmission(name: string): SourceFile {
  return { fileName: `${name}.ts`, source: readFileSync(path.join(CORPUS, `${name}.ts`), 'utf8') };
}

/** pipe-message at CPU_MS and MAX_STEPS with `groups` enabled beside its own: as files for the child, and parsed. */
export function tightPipeMessage(groups: Group[] = []): { exercise: Exercise; pack: ExercisePackage } {
  const files = readPackageFolder(builtInExerciseFolder('pipe-message')!);
  const metadata = JSON.parse(files['exercise.json']);
  metadata.limits = { ...metadata.limits, cpuMs: CPU_MS };
  metadata.kernel = { ...metadata.kernel, maxSteps: MAX_STEPS };
  if (groups.length > 0 && Array.isArray(metadata.groups)) metadata.groups = [...new Set([...metadata.groups, ...groups])];
  const pack = { slug: 'pipe-message', files: { ...files, 'exercise.json': JSON.stringify(metadata) } };
  return { exercise: parseExercise(pack.slug, pack.files), pack };
}

/** What must not change between two gradings of the same submission. */
export function verdict(result: GradeResult): unknown {
  return {
    status: result.status,
    message: result.message,
    score: result.score,
    tests: result.tests.map((test) => ({
      name: test.name, passed: test.passed, score: test.score, message: test.message, decisions: test.counterexample?.decisions ?? null,
    })),
  };
}
