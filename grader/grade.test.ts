import { grade, validate } from './grade';
import { loadExercise } from './exercise';

describe('grading an exercise', () => {
  const exercise = loadExercise('pipe-message');

  it('gives the reference solution full marks', async () => {
    const result = await grade(exercise, exercise.solution);
    expect(result.tests.filter((t) => !t.passed)).toEqual([]);
    expect(result).toMatchObject({ status: 'graded', score: result.maxScore });
    expect(result.maxScore).toBe(9);
  });

  it('a hygiene test counts only once the tests it requires pass', async () => {
    const result = await grade(exercise, exercise.starter);
    const reaped = result.tests.find((t) => t.name === 'the child is reaped')!;
    expect(reaped).toMatchObject({ passed: false, score: 0, message: "counts once 'a short message arrives' passes" });
    expect(result.score).toBe(0);
  });

  it('validate proves every known-wrong solution fails its declared tests', async () => {
    const checks = await validate(exercise);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });
});
