/**
 * A class of submissions written from the statements alone (test/class/<slug>/):
 * correct ones in different styles and ones with the classic bugs, each with
 * its expected verdict per test in verdicts.json. Every one must be graded as
 * expected: full marks for the correct ones, and for a buggy one exactly the
 * tests its bug should fail.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadExercise } from '../grader/exercise';
import { grade } from '../grader/grade';
import { DEFAULT_GRADINGS_PER_ISOLATE } from '../common/job';
import { configureIsolates } from '../grader/session';

const CLASS = path.join(__dirname, 'class');
const verdictsSchema = z.record(z.string().regex(/\.ts$/), z.strictObject({ bug: z.string().nullable(), fails: z.array(z.string()) }));

const submissions = readdirSync(CLASS)
  .filter((slug) => statSync(path.join(CLASS, slug)).isDirectory())
  .sort()
  .flatMap((slug) => Object.entries(verdictsSchema.parse(JSON.parse(readFileSync(path.join(CLASS, slug, 'verdicts.json'), 'utf8'))))
    .map(([file, verdict]) => ({ slug, file, ...verdict })));

// The class is our own code, not a stranger's: one warm realm grades many, as V8 has then optimised the kernel
// (a fresh realm's first gradings cost several warm ones). A run that was cut off still retires its realm.
beforeAll(() => configureIsolates({ gradingsPerIsolate: submissions.length }));
afterAll(() => configureIsolates({ gradingsPerIsolate: DEFAULT_GRADINGS_PER_ISOLATE }));

describe('a class of submissions written from the statements alone', () => {
  it('has at least six submissions per exercise it covers, two of them correct', () => {
    for (const slug of new Set(submissions.map((s) => s.slug))) {
      const mine = submissions.filter((s) => s.slug === slug);
      expect({ slug, count: mine.length >= 6, correct: mine.filter((s) => s.bug === null).length >= 2 }).toEqual({ slug, count: true, correct: true });
    }
  });

  it.each(submissions.map((s) => [`${s.slug}/${s.file}`, s] as const))('%s is graded as its statement says it should be', async (_, submission) => {
    const exercise = loadExercise(submission.slug);
    const source = readFileSync(path.join(CLASS, submission.slug, submission.file), 'utf8');
    const result = await grade(exercise, { fileName: submission.file, source });
    expect(result.status).toBe('graded');
    expect(result.tests.filter((test) => !test.passed).map((test) => test.name).sort()).toEqual([...submission.fails].sort());
    if (submission.bug === null) expect(result.score).toBe(result.maxScore);
  }, 5 * 60_000);
});
