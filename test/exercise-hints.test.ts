/**
 * Cause-specific feedback (issue 11): a hint explains one diagnosed situation, so every hint an
 * exercise's tests give names the situation it explains (`when`, or a `diagnoses` entry, which
 * has one). A hint without a condition would be shown on every failure of its property, whatever
 * the cause; where no situation applies, the property's precise finding is the message.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { loadExercise } from '../grader/exercise';
import { grade } from '../grader/grade';

const EXERCISES = path.join(__dirname, '..', 'exercises');

/** Every object literal with a `hint` in the source and no `when` beside it, as `file:line`. */
function unconditionalHints(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const names = node.properties.map((property) => (property.name && ts.isIdentifier(property.name) ? property.name.text : null));
      if (names.includes('hint') && !names.includes('when')) {
        found.push(`${path.relative(EXERCISES, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const testFiles = readdirSync(EXERCISES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => {
    const folder = path.join(EXERCISES, entry.name, 'tests');
    try {
      return readdirSync(folder).filter((name) => name.endsWith('.ts')).map((name) => path.join(folder, name));
    } catch {
      return [];
    }
  });

test('every hint in the exercise pack names the situation it explains', () => {
  expect(testFiles.length).toBeGreaterThanOrEqual(18);
  expect(testFiles.flatMap((file) => unconditionalHints(file))).toEqual([]);
});

test('the check finds a hint given without a condition', () => {
  const file = path.join(EXERCISES, 'pipe-message', 'tests', 'hidden.ts');
  const text = readFileSync(file, 'utf8');
  expect(text).toMatch(/hint: 'the parent must wait for its child'/);
  // The same file with one condition taken away: the check names that line.
  expect(unconditionalHints(file, text.replace('when: situations.zombieOf(2), ', ''))).toEqual([expect.stringMatching(/^pipe-message\/tests\/hidden\.ts:\d+$/)]);
});

/** The messages of every failed test when the pack's known-wrong solution `file` of `slug` is graded (base seed 1). */
async function messagesFor(slug: string, file: string): Promise<string[]> {
  const exercise = loadExercise(slug);
  const wrong = exercise.wrong.find((entry) => entry.fileName === file);
  if (!wrong) throw new Error(`${slug} has no known-wrong solution ${file}`);
  const result = await grade(exercise, wrong);
  return result.tests.filter((outcome) => !outcome.passed).map((outcome) => outcome.message ?? '');
}

describe("issue 11's examples get the explanation of their own situation, not another's", () => {
  it('a parent that waits before reading is told so, and not to close the write end it did close', async () => {
    const messages = await messagesFor('pipe-message', 'wrong/wait-before-read.ts');
    expect(messages.join('\n')).toMatch(/waits for its child before reading/);
    expect(messages.join('\n')).not.toMatch(/close its own write end/);
  }, 120_000);

  it("Peterson's lock with a flag never lowered is asked about its flag, not told that the turn must break a tie", async () => {
    const messages = await messagesFor('peterson', 'wrong/flag-never-lowered.ts');
    expect(messages.join('\n')).toMatch(/does unlock lower the flag/);
    expect(messages.join('\n')).not.toMatch(/turn variable must break the tie/);
    const bothSpin = await messagesFor('peterson', 'wrong/flags-only.ts');
    expect(bothSpin.join('\n')).toMatch(/turn variable must break the tie/);
    expect(bothSpin.join('\n')).not.toMatch(/does unlock lower the flag/);
  }, 120_000);

  it('a SIGCHLD handler that loops but is installed after forking is told to install it first, not to loop', async () => {
    const messages = await messagesFor('signals', 'wrong/handler-after-fork.ts');
    expect(messages.join('\n')).toMatch(/install the SIGCHLD handler before the first fork/);
    expect(messages.join('\n')).not.toMatch(/must reap in a loop/);
  }, 120_000);
});
