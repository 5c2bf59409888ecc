/**
 * An exercise proves its own tests. Its requirements are data: every
 * requirement of the statement has a test, every test checks a stated
 * requirement, and some known-wrong solution shows each test can fail. The
 * reference earns full marks, the starter does not, and each known-wrong
 * solution loses marks on exactly the tests it declares, under every base
 * seed asked for, with feedback that names its bug.
 */
import type { Exercise, KnownWrong } from './exercise';
import { grade, type GradeOptions, type GradeResult } from './grade';
import { loadTests, TestFileError } from './harness';
import { exerciseLaunch } from '../common/package';
import type { ValidationCheck } from '../common/validation-lines';
import { GradingSession } from './session';

export type { ValidationCheck };

export interface ValidateOptions extends GradeOptions {
  /** Base seeds each known-wrong solution is graded under: `seed`, `seed + 1`, … (default 1). */
  seeds?: number;
}

/** Every test of the exercise by name, or the reason its test files do not load. */
/** Each test's name and the tests it counts only after (its `requires`), in the order they run. */
function testRequirements(exercise: Exercise): Map<string, readonly string[]> | string {
  try {
    return new Map([exercise.visibleTests, exercise.hiddenTests].flatMap((file) => loadTests(file.source, file.fileName).map((test) => [test.name, test.requires] as const)));
  } catch (error) {
    if (error instanceof TestFileError) return error.message;
    throw error;
  }
}

/** The requirements' bookkeeping, read from the package alone: each line a problem, none when it holds. */
export function requirementProblems(exercise: Exercise, tests: readonly string[]): string[] {
  const { requirements } = exercise.metadata;
  const known = new Set(tests);
  const problems: string[] = [];
  for (const requirement of requirements) {
    for (const name of requirement.tests) {
      if (!known.has(name)) problems.push(`requirement '${requirement.id}' names a test '${name}' that does not exist`);
    }
  }
  const checked = new Set(requirements.flatMap((requirement) => requirement.tests));
  const provenFailable = new Set(exercise.wrong.flatMap((wrong) => wrong.fails));
  for (const name of tests) {
    if (!checked.has(name)) problems.push(`test '${name}' checks no stated requirement (list it under one in exercise.json's requirements)`);
    if (!provenFailable.has(name)) problems.push(`test '${name}' is failed by no known-wrong solution, so nothing proves it can fail`);
  }
  for (const wrong of exercise.wrong) {
    const violated = requirements.find((requirement) => requirement.id === wrong.violates);
    if (violated && !wrong.fails.some((name) => violated.tests.includes(name))) {
      problems.push(`${wrong.fileName} violates '${wrong.violates}' but fails none of the tests that check it`);
    }
  }
  return problems;
}

function failingTests(result: GradeResult): string {
  return result.message ?? result.tests.filter((t) => !t.passed).map((t) => `${t.name}: ${t.message}`).join('; ');
}

/**
 * What is wrong with one known-wrong solution's grading: each a phrase, none when it fails as declared
 * (`whole`: every test ran, so its score means something).
 */
function wrongProblems(wrong: KnownWrong, result: GradeResult, tests: readonly string[], whole: boolean): string[] {
  const failed = new Map(result.status === 'graded' ? result.tests.filter((t) => !t.passed).map((t) => [t.name, t.message ?? ''])
    : tests.map((name) => [name, result.message ?? '']));
  const problems = [
    ...(whole && result.score >= result.maxScore ? ['it scores full marks'] : []),
    ...wrong.fails.filter((name) => !tests.includes(name)).map((name) => `it declares a test '${name}' that does not exist`),
    ...wrong.fails.filter((name) => tests.includes(name) && !failed.has(name)).map((name) => `it passes '${name}', which it should fail`),
  ];
  const message = failed.get(wrong.fails[0]);
  if (message !== undefined && !new RegExp(wrong.feedback, 'i').test(message)) {
    problems.push(`the feedback of '${wrong.fails[0]}' does not match /${wrong.feedback}/i: ${JSON.stringify(message)}`);
  }
  return problems;
}

/** `names` and, transitively, every test they count only after. */
function withRequired(names: readonly string[], requires: Map<string, readonly string[]>): string[] {
  const all = new Set<string>();
  const visit = (name: string) => {
    if (all.has(name)) return;
    all.add(name);
    for (const required of requires.get(name) ?? []) visit(required);
  };
  names.forEach(visit);
  return [...all];
}

/**
 * What a student's first press of Run starts (exercise.json's `launch`, else the first entry with no
 * arguments) must run the reference solution to a normal end: else the Run panel shows a deadlock or
 * an error before the student has written a line.
 */
async function launchCheck(exercise: Exercise): Promise<ValidationCheck> {
  const launch = exerciseLaunch(exercise.metadata);
  const programs = launch.programs.map((program) => [program.entry ?? 'default', ...(program.argv ?? []).map((arg) => JSON.stringify(arg))].join(' ')).join(', ');
  const session = await GradingSession.open([exercise.solution], exercise.metadata.limits);
  if ('compileError' in session) return { ok: false, line: `the Run panel's programs (${programs}) cannot start the reference solution: ${session.compileError}` };
  try {
    const run = session.runOne(launch);
    return run.status === 'ok'
      ? { ok: true, line: `the Run panel's programs (${programs}) run the reference solution to its end in ${run.steps} steps` }
      : {
        ok: false,
        line: `the Run panel's programs (${programs}) end the reference solution's run as ${run.status}: set exercise.json's launch to the programs and arguments a test starts${run.message ? `. The run said: ${run.message}` : ''}`,
      };
  } finally {
    session.close();
  }
}

export async function validate(exercise: Exercise, options: ValidateOptions = {}, onCheck: (check: ValidationCheck) => void = () => undefined): Promise<ValidationCheck[]> {
  const checks: ValidationCheck[] = [];
  // Each check is reported as soon as it is made: a web page lists them live.
  const report = (check: ValidationCheck) => {
    checks.push(check);
    onCheck(check);
  };
  const requires = testRequirements(exercise);
  if (typeof requires === 'string') {
    report({ ok: false, line: `the tests do not load: ${requires}` });
    return checks;
  }
  const tests = [...requires.keys()];
  const bookkeeping = requirementProblems(exercise, tests);
  if (bookkeeping.length > 0) for (const line of bookkeeping) report({ ok: false, line });
  else report({ ok: true, line: `${exercise.metadata.requirements.length} requirements, each checked by a test; each of the ${tests.length} tests checks one and fails for some known-wrong solution` });

  const reference = await grade(exercise, exercise.solution, options);
  const full = reference.status === 'graded' && reference.score === reference.maxScore && reference.maxScore > 0;
  report({
    ok: full,
    line: full ? `reference solution scores ${reference.score}/${reference.maxScore} (${reference.durationMs} ms)`
      : `reference solution scores ${reference.score}/${reference.maxScore}: ${failingTests(reference)}`,
  });
  report(await launchCheck(exercise));
  const starter = await grade(exercise, exercise.starter, options);
  report({
    ok: starter.score < starter.maxScore,
    line: starter.score < starter.maxScore ? `starter code scores ${starter.score}/${starter.maxScore}, below full marks` : 'starter code already scores full marks',
  });

  const firstSeed = options.seed ?? 1;
  const seeds = Math.max(1, options.seeds ?? 1);
  for (const wrong of exercise.wrong) {
    const escapes: string[] = [];
    let score = 0;
    // The first seed grades every test, for the score; later ones only what the checks read: the declared
    // tests and those they count after (a failing test stops at its counterexample, a passing one explores all).
    const checked = withRequired(wrong.fails, requires);
    for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
      const result = await grade(exercise, wrong, seed === firstSeed ? { ...options, seed } : { ...options, seed, onlyTests: checked });
      if (seed === firstSeed) score = result.score;
      const problems = wrongProblems(wrong, result, tests, seed === firstSeed);
      if (problems.length > 0) escapes.push(`${seeds > 1 ? `with base seed ${seed}, ` : ''}${problems.join('; ')}`);
    }
    const under = seeds > 1 ? ` under base seeds ${firstSeed}–${firstSeed + seeds - 1}` : '';
    report({
      ok: escapes.length === 0,
      line: escapes.length === 0
        ? `${wrong.fileName} (${wrong.mistake}) scores ${score}, fails ${wrong.fails.map((n) => `'${n}'`).join(', ')}${under} and is told /${wrong.feedback}/`
        : `${wrong.fileName} (${wrong.mistake}): ${escapes.slice(0, 3).join(' | ')}${escapes.length > 3 ? ` | and under ${escapes.length - 3} more seeds` : ''}`,
    });
  }
  return checks;
}
