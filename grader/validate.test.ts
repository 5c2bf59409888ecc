import path from 'node:path';
import { parseExercise, readPackageFolder, type PackageFiles } from './exercise';
import { requirementProblems, validate } from './validate';

const sample = readPackageFolder(path.join(__dirname, '..', 'exercises', 'pipe-message'));
const TESTS = [
  'a short message arrives',
  'the message travels from the child through the pipe',
  'parent prints the whole message under every schedule',
  'no deadlock',
  'the child is reaped',
  'no descriptor is left open',
];

interface Metadata {
  requirements: { id: string; text: string; tests: string[] }[];
  wrong: { file: string; mistake: string; violates: string; fails: string[]; feedback: string }[];
}

function changed(change: (metadata: Metadata) => void, files: PackageFiles = sample): PackageFiles {
  const metadata = JSON.parse(files['exercise.json']);
  change(metadata);
  return { ...files, 'exercise.json': JSON.stringify(metadata) };
}

const problemsOf = (files: PackageFiles): string[] => requirementProblems(parseExercise('pipe-message', files), TESTS);

describe('requirements are data', () => {
  it('the pack\'s pipe-message keeps its books: every requirement has a test, every test checks one and can fail', () => {
    expect(problemsOf(sample)).toEqual([]);
  });

  it('validate fails when a requirement names no existing test', () => {
    const files = changed((m) => m.requirements[0].tests.push('a test nobody wrote'));
    expect(problemsOf(files)).toEqual(["requirement 'child-writes-parent-prints' names a test 'a test nobody wrote' that does not exist"]);
  });

  it('validate fails when a test checks no stated requirement', () => {
    const files = changed((m) => {
      for (const requirement of m.requirements) requirement.tests = requirement.tests.filter((name) => name !== 'no deadlock');
    });
    expect(problemsOf(files)).toContain("test 'no deadlock' checks no stated requirement (list it under one in exercise.json's requirements)");
  });

  it('validate fails when no known-wrong solution proves a test can fail', () => {
    const files = changed((m) => {
      m.wrong = m.wrong.filter((wrong) => !wrong.fails.includes('the child is reaped'));
    });
    expect(problemsOf(files)).toContain("test 'the child is reaped' is failed by no known-wrong solution, so nothing proves it can fail");
  });

  it('validate fails when a known-wrong solution fails none of the tests of the requirement it violates', () => {
    const files = changed((m) => {
      m.wrong.find((wrong) => wrong.file === 'wrong/no-wait.ts')!.violates = 'read-until-eof';
    });
    expect(problemsOf(files)).toEqual(["wrong/no-wait.ts violates 'read-until-eof' but fails none of the tests that check it"]);
  });
});

describe('feedback patterns are checked', () => {
  it('validate fails when a known-wrong solution\'s feedback does not match its declared pattern', async () => {
    const files = changed((m) => {
      m.wrong = m.wrong.filter((wrong) => wrong.file === 'wrong/no-wait.ts' || wrong.file === 'wrong/single-read.ts');
      m.wrong[0].feedback = 'close the write end';
    });
    const checks = await validate(parseExercise('pipe-message', files));
    const wrong = checks.find((check) => check.line.startsWith('wrong/single-read.ts'))!;
    expect(wrong.ok).toBe(false);
    expect(wrong.line).toMatch(/the feedback of 'parent prints the whole message under every schedule' does not match \/close the write end\/i: "a read returns what the pipe holds/);
    expect(checks.find((check) => check.line.startsWith('wrong/no-wait.ts'))).toMatchObject({ ok: true });
  });
});

describe('seed-robust verdicts', () => {
  // A test whose verdict on a racy program depends on the base seed: one random schedule, seeded from it.
  const racyTests = `import type { Suite } from '../../../grader/harness';
export default function tests({ test, props }: Suite) {
  test('the parent prints after its child', { weight: 1 }, async (t) => {
    await t.run({ argv: ['x'], schedule: 'random' }, [props.stdoutIs('child\\nparent\\n')]);
  });
}
`;
  const racyWrong = `export default async function main(sys: any) {
  if ((await sys.fork()) === 0) { await sys.print('child'); return 0; }
  await sys.print('parent');
  await sys.wait();
}
`;
  const files: PackageFiles = changed((m) => {
    m.requirements = [{ id: 'order', text: 'The parent prints after its child.', tests: ['the parent prints after its child'] }];
    m.wrong = [{ file: 'wrong/racy.ts', mistake: 'no wait before printing', violates: 'order', fails: ['the parent prints after its child'], feedback: 'should be' }];
  }, {
    ...sample,
    'tests/visible.ts': 'export default function tests() {}\n',
    'tests/hidden.ts': racyTests,
    'solution.ts': "export default async function main(sys: any) {\n  if ((await sys.fork()) === 0) { await sys.print('child'); return 0; }\n  await sys.wait();\n  await sys.print('parent');\n}\n",
    'wrong/racy.ts': racyWrong,
  });

  it('validate --seeds N fails when a declared test passes under any of the N base seeds, and names the seed', async () => {
    const racy = parseExercise('racy', files);
    const once = await validate(racy, { seeds: 1 });
    expect(once.find((check) => check.line.startsWith('wrong/racy.ts'))).toMatchObject({ ok: true });
    const checks = await validate(racy, { seeds: 12 });
    const wrong = checks.find((check) => check.line.startsWith('wrong/racy.ts'))!;
    expect(wrong.ok).toBe(false);
    expect(wrong.line).toMatch(/with base seed \d+, it passes 'the parent prints after its child', which it should fail/);
  });
});

describe("the Run panel's first run", () => {
  const launchLine = (checks: { ok: boolean; line: string }[]) => checks.find((check) => check.line.startsWith("the Run panel's programs"));

  it('runs the reference solution to its end with the programs and arguments exercise.json launches', async () => {
    const checks = await validate(parseExercise('pipe-message', sample));
    expect(launchLine(checks)).toEqual({ ok: true, line: expect.stringMatching(/^the Run panel's programs \(default "hello"\) run the reference solution to its end in \d+ steps$/) });
  });

  it('fails, saying what to declare, when what the panel starts leaves the reference solution stuck', async () => {
    // Without arguments this reference reads a pipe whose write end it holds itself: a deadlock.
    const files = changed((m) => {
      delete (m as { launch?: unknown }).launch;
    }, {
      ...sample,
      'solution.ts': "export default async function main(sys: any, argv: string[]) {\n  const [r, w] = await sys.pipe();\n  if (argv.length === 0) await sys.read(r, 1);\n  await sys.print('done');\n}\n",
    });
    const check = launchLine(await validate(parseExercise('pipe-message', files)));
    expect(check).toEqual({
      ok: false,
      line: "the Run panel's programs (default) end the reference solution's run as deadlock: set exercise.json's launch to the programs and arguments a test starts. "
        + 'The run said: Deadlock: every thread is blocked and nothing can wake them. pid 2 waits in read: the pipe is empty and its write end is still open in pid 2 (fd 4).',
    });
  });
});
