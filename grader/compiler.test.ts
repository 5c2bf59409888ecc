import { compileWithinLimit } from './compiler';

/** TypeScript's parser backtracks over `a<a<a…` in a JavaScript file in quadratic time: seconds for these 54 KB. */
const SLOW_TO_PARSE = Array.from({ length: 3 }, () => `a${'<a'.repeat(9_000)};`).join('\n');

describe('compiling a submission', () => {
  test('a compile that runs past its limit is stopped and is the submission\'s compile error, and the next file compiles', async () => {
    const slow = await compileWithinLimit(SLOW_TO_PARSE, 'generics.js', 500);
    expect(slow).toEqual({ ok: false, message: 'generics.js took more than 0.5 s to compile, so it was stopped: simplify its most deeply nested expressions or types.' });
    const next = await compileWithinLimit('export default async function main(sys) { await sys.print("hi"); }', 'next.js', 500);
    expect(next.ok).toBe(true);
  });

  test('a parser crash (a stack overflow on deep nesting) is a compile error, not the grader\'s failure', async () => {
    expect(await compileWithinLimit(`let a = ${'['.repeat(30_000)}${']'.repeat(30_000)};`, 'deep.ts')).toEqual({
      ok: false, message: 'deep.ts could not be compiled: the code nests too deeply for the compiler.',
    });
  });

  test('a file over 64 KiB is refused before it is parsed', async () => {
    expect(await compileWithinLimit(`// ${'x'.repeat(70 * 1024)}`, 'big.ts')).toEqual({
      ok: false, message: 'big.ts is 71 KiB; a submission file may be at most 64 KiB.',
    });
  });
});
