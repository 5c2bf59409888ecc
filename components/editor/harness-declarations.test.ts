import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { STUDENT_COMPILER_OPTIONS } from './compiler-options';
import { TEST_FILE_PATH, TEST_GLOBALS, TEST_GLOBALS_PATH } from './sandbox-globals';

const root = path.join(__dirname, '..', '..');
const exercisesDir = path.join(root, 'exercises');

/** What scripts/build.mjs emitted (npm test builds first), laid out from the root as the test editor's worker lays it. */
function harnessFiles(): Map<string, string> {
  const declarations = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'harness-declarations.json'), 'utf8')) as Record<string, string>;
  return new Map(Object.entries(declarations).map(([file, text]) => [`/${file}`, text]));
}

/**
 * One program of the test editor's files and `tests` (path → source), each test file checked as
 * the editor checks its one; every test sits two folders below /exercises, as TEST_FILE_PATH does.
 */
function testProgram(tests: Map<string, string>): ts.Program {
  const virtualFiles = harnessFiles();
  virtualFiles.set(TEST_GLOBALS_PATH, TEST_GLOBALS);
  for (const [file, source] of tests) virtualFiles.set(file, source);
  const host = ts.createCompilerHost(STUDENT_COMPILER_OPTIONS);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => virtualFiles.get(name) ?? readFile(name);
  host.fileExists = (name) => virtualFiles.has(name) || (name.includes('/typescript/lib/') && fs.existsSync(name));
  host.directoryExists = (name) => [...virtualFiles.keys()].some((file) => file.startsWith(`${name}/`));
  host.getSourceFile = (name, language, ...rest) => {
    const text = virtualFiles.get(name);
    return text === undefined ? getSourceFile(name, language, ...rest) : ts.createSourceFile(name, text, language);
  };
  return ts.createProgram([TEST_GLOBALS_PATH, ...tests.keys()], STUDENT_COMPILER_OPTIONS, host);
}

function errorsIn(program: ts.Program, file: string): string[] {
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((diagnostic) => `${diagnostic.file?.fileName}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`);
}

describe("the test harness's declarations of the authoring page's test editors", () => {
  const packTests = new Map(fs.readdirSync(exercisesDir)
    .flatMap((name) => ['visible.ts', 'hidden.ts'].map((file) => path.join(name, 'tests', file)))
    .filter((file) => fs.existsSync(path.join(exercisesDir, file)))
    .map((file) => [`/exercises/${file}`, fs.readFileSync(path.join(exercisesDir, file), 'utf8')]));
  const unimported = `
    export default function tests({ test, props }: Suite) {
      test('prints', async (t) => { await t.run({}, [props.stdoutIss('hello\\n')]); });
    }`;
  let program: ts.Program;
  beforeAll(() => {
    program = testProgram(new Map([...packTests, [TEST_FILE_PATH, unimported]]));
  });

  it.each([...packTests.keys()])('typecheck %s, with its import of the harness', (file) => {
    expect(errorsIn(program, file)).toEqual([]);
  });

  it('reject a property the harness does not have, in a file that names Suite without importing it', () => {
    expect(errorsIn(program, TEST_FILE_PATH)).toEqual([expect.stringContaining("Property 'stdoutIss' does not exist")]);
  });
});
