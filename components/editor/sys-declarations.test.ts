import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { Kernel } from '../../kernel/kernel';
import { createSys, SYSCALLS } from '../../kernel/syscalls';
import { STUDENT_COMPILER_OPTIONS } from './compiler-options';
import { SANDBOX_GLOBALS, SANDBOX_GLOBALS_PATH, STUDENT_FILE_PATH, SYS_DECLARATIONS_PATH } from './sandbox-globals';
import { typeSysParameters } from './typed-sys';

const declarationsFile = path.join(__dirname, 'sys.d.ts');
const exercisesDir = path.join(__dirname, '..', '..', 'exercises');

/** A program of the declarations, the sandbox globals and one student file, as the editor builds it. */
function studentProgram(studentSource: string): ts.Program {
  const virtualFiles = new Map([
    [SYS_DECLARATIONS_PATH, fs.readFileSync(declarationsFile, 'utf8')],
    [SANDBOX_GLOBALS_PATH, SANDBOX_GLOBALS],
    [STUDENT_FILE_PATH, typeSysParameters(studentSource).text],
  ]);
  const host = ts.createCompilerHost(STUDENT_COMPILER_OPTIONS);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => virtualFiles.get(name) ?? readFile(name);
  host.fileExists = (name) => virtualFiles.has(name) || fileExists(name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = virtualFiles.get(name);
    return text === undefined ? getSourceFile(name, language, ...rest) : ts.createSourceFile(name, text, language);
  };
  return ts.createProgram([SANDBOX_GLOBALS_PATH, STUDENT_FILE_PATH], STUDENT_COMPILER_OPTIONS, host);
}

function errorsOf(program: ts.Program): string[] {
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (!diagnostic.file || diagnostic.start === undefined) return text;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${diagnostic.file.fileName}:${line + 1}:${character + 1} ${text}`;
  });
}

/** The property names of a type the declarations export. */
function declaredMembers(typeName: string): string[] {
  const program = studentProgram(`export type Probe = ${typeName};`);
  const checker = program.getTypeChecker();
  const probe = program.getSourceFile(STUDENT_FILE_PATH)!.statements[0] as ts.TypeAliasDeclaration;
  return checker.getTypeAtLocation(probe.type).getProperties().map((symbol) => symbol.name).sort();
}

function kernelSys(): Readonly<Record<string, unknown>> {
  const kernel = new Kernel({ programs: [] });
  kernel.start();
  return createSys(kernel, kernel.host('10.0.0.1').init);
}

describe('the sys declarations of the editor', () => {
  it('declare exactly the methods of a sys object the kernel builds', () => {
    expect(declaredMembers('Sys')).toEqual(Object.keys(kernelSys()).sort());
  });

  it("declare a segment's methods as exactly the kernel's shared-memory cell calls", () => {
    const cellCalls = Object.keys(SYSCALLS).filter((name) => name.startsWith('shm_')).map((name) => name.slice('shm_'.length));
    expect(declaredMembers('Segment')).toEqual([...cellCalls, 'shmid', 'size'].sort());
  });

  it('give every sys call a line of documentation for hover', () => {
    const program = studentProgram('export type Probe = Sys;');
    const checker = program.getTypeChecker();
    const probe = program.getSourceFile(STUDENT_FILE_PATH)!.statements[0] as ts.TypeAliasDeclaration;
    const undocumented = checker.getTypeAtLocation(probe.type).getProperties()
      .filter((symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)) === '')
      .map((symbol) => symbol.name);
    expect(undocumented).toEqual([]);
  });

  it('reject a call the kernel does not have and a wrong argument type', () => {
    const errors = errorsOf(studentProgram(`
      export default async function main(sys: any) {
        await sys.pipe2();
        await sys.read('0', 10);
      }`));
    expect(errors).toEqual([
      expect.stringContaining("Property 'pipe2' does not exist on type 'Sys'"),
      expect.stringContaining("Argument of type 'string' is not assignable to parameter of type 'number'"),
    ]);
  });

  const exercises = fs.readdirSync(exercisesDir).filter((name) => fs.existsSync(path.join(exercisesDir, name, 'solution.ts')));

  // rpc-stubs' solution keeps its semaphores in a field it annotates `unknown`, which no typed API accepts.
  const knownSolutionErrors: Record<string, string[]> = {
    'rpc-stubs': ['98:24', '109:26'].map((at) =>
      expect.stringContaining(`/main.ts:${at} Argument of type 'unknown' is not assignable to parameter of type 'Semaphore'.`)),
  };

  it.each(exercises)('typecheck the reference solution and the starter code of %s', (exercise) => {
    const read = (file: string) => fs.readFileSync(path.join(exercisesDir, exercise, file), 'utf8');
    expect(errorsOf(studentProgram(read('solution.ts')))).toEqual(knownSolutionErrors[exercise] ?? []);
    expect(errorsOf(studentProgram(read('starter.ts')))).toEqual([]);
  });
});

describe("the editor's view of a student's sys parameter", () => {
  it('types an untyped sys, so a wrong call is an error at its place in the student\'s text', () => {
    const source = 'export default async function main(sys, argv) {\n  await sys.pipe2();\n}\n';
    const student = typeSysParameters(source);
    expect(student.text).toBe('export default async function main(sys: Sys, argv) {\n  await sys.pipe2();\n}\n');
    const [error] = ts.getPreEmitDiagnostics(studentProgram(source));
    expect(ts.flattenDiagnosticMessageText(error.messageText, ' ')).toContain("Property 'pipe2' does not exist on type 'Sys'");
    expect(student.fromTyped(error.start!)).toBe(source.indexOf('pipe2'));
  });

  it('maps every position of the student\'s text there and back', () => {
    const source = 'const f = async (sys) => sys.fork();\nasync function g(sys?) { await sys.yield(); }\n';
    const student = typeSysParameters(source);
    expect(student.text).toBe('const f = async (sys: Sys) => sys.fork();\nasync function g(sys?: Sys) { await sys.yield(); }\n');
    for (let pos = 0; pos <= source.length; pos++) expect(student.fromTyped(student.toTyped(pos))).toBe(pos);
    const afterFirstSys = source.indexOf('sys') + 3;
    expect(student.toTyped(afterFirstSys)).toBe(afterFirstSys);
    expect(student.fromTyped(afterFirstSys + 2)).toBe(afterFirstSys);
  });

  it('reads `sys: any` as `sys: Sys` and leaves other parameters alone', () => {
    expect(typeSysParameters('function f(sys: any, other, ...sys2) {}').text).toBe('function f(sys: Sys, other, ...sys2) {}');
    expect(typeSysParameters('function f(sys: Sys, s: any) {}').text).toBe('function f(sys: Sys, s: any) {}');
  });
});
