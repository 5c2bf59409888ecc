import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadExercise } from '../grader/exercise';
import { validate } from '../grader/validate';

const slugs = readdirSync(path.join(__dirname, '..', 'exercises'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('the built-in exercise pack', () => {
  it('has exercises', () => {
    expect(slugs.length).toBeGreaterThan(0);
  });

  it.each(slugs)('%s proves its own tests: the reference passes, the starter and every known-wrong solution fail as declared', async (slug) => {
    const checks = await validate(loadExercise(slug));
    expect(checks.filter((check) => !check.ok).map((check) => check.line)).toEqual([]);
    expect(checks.length).toBeGreaterThanOrEqual(5);
  });
});
