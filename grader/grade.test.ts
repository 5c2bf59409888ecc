import { grade } from './grade';
import { validate } from './validate';
import { loadExercise } from './exercise';

describe('grading an exercise', () => {
  const exercise = loadExercise('pipe-message');

  it('gives the reference solution full marks', async () => {
    const result = await grade(exercise, exercise.solution);
    expect(result.tests.filter((t) => !t.passed)).toEqual([]);
    expect(result).toMatchObject({ status: 'graded', score: result.maxScore });
    expect(result.maxScore).toBe(11);
  });

  it('a gated test counts only once the tests it requires pass, and still shows its own outcome and why it does not count', async () => {
    const printsItself = await grade(exercise, exercise.wrong.find((w) => w.fileName === 'wrong/prints-argv-itself.ts')!);
    const held = printsItself.tests.find((t) => t.name === 'the child is reaped')!;
    expect(held).toMatchObject({ passed: false, score: 0 });
    expect(held.message).toMatch(/^its own checks held in every run, but it counts only once 'the message travels from the child through the pipe' passes/);
    const starter = await grade(exercise, exercise.starter);
    const failed = starter.tests.find((t) => t.name === 'the child is reaped')!;
    expect(failed.message).toMatch(/^stdout was .* but should be "bye\\n" .*; and it counts only once 'the message travels from the child through the pipe' passes/);
    expect(starter.score).toBe(0);
  });

  it('a grading that outlives its budget stops as timeout and earns nothing', async () => {
    const result = await grade(exercise, exercise.solution, { budgetMs: 0 });
    expect(result).toMatchObject({ status: 'timeout', score: 0, message: expect.stringMatching(/grading took more than 0 s of CPU time in all/) });
  });

  it('a test that fails on its own keeps its own message even when its requirement failed too', async () => {
    const result = await grade(exercise, exercise.wrong.find((w) => w.fileName.includes('parent-keeps-write-end'))!);
    const deadlock = result.tests.find((t) => t.name === 'no deadlock')!;
    expect(deadlock.message).toMatch(/close its own write end/);
  });

  it('grading one test alone rebuilds the counterexample the whole grading found for it', async () => {
    const wrong = exercise.wrong.find((w) => w.fileName.includes('parent-keeps-write-end'))!;
    const whole = await grade(exercise, wrong);
    const alone = await grade(exercise, wrong, { onlyTest: 'no deadlock' });
    expect(alone.tests.map((t) => t.name)).toEqual(['no deadlock']);
    expect(alone.tests[0].counterexample).toEqual(whole.tests.find((t) => t.name === 'no deadlock')!.counterexample);
  });

  it('grading some tests with those they count after gives each the outcome of the whole grading, gates included', async () => {
    const wrong = exercise.wrong.find((w) => w.fileName.includes('child-keeps-read-end'))!;
    const whole = await grade(exercise, wrong);
    const some = await grade(exercise, wrong, { onlyTests: ['a short message arrives', 'the message travels from the child through the pipe', 'no descriptor is left open'] });
    expect(some.tests.map((t) => t.name)).toEqual(['a short message arrives', 'the message travels from the child through the pipe', 'no descriptor is left open']);
    const outcomes = (tests: typeof some.tests) => tests.map(({ name, passed, message }) => ({ name, passed, message }));
    expect(outcomes(some.tests)).toEqual(outcomes(whole.tests.filter((t) => some.tests.some((s) => s.name === t.name))));
  });

  it('a helper called without await that throws is graded as the program failing, not the grader, and quickly', async () => {
    const source = exercise.solution.source.replace(
      'await sys.write(writeEnd, argv[0]);',
      "check(argv[0]); await sys.write(writeEnd, argv[0]);",
    ) + '\nasync function check(text: string) { if (text.length > 0) throw new Error(`cannot send ${text.length} characters`); }\n';
    const started = Date.now();
    const result = await grade(exercise, { fileName: 'unawaited.ts', source });
    expect(result.status).toBe('graded');
    expect(result.score).toBeLessThan(result.maxScore);
    expect(result.message ?? '').not.toMatch(/grader failed/);
    expect(result.tests.map((t) => t.message ?? '').join(' ')).not.toMatch(/grader failed/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('validate proves every known-wrong solution fails its declared tests', async () => {
    const checks = await validate(exercise);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });
});
