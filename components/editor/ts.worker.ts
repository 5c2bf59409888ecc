/**
 * The TypeScript language service of the code editor, off the main thread:
 * the student's file checked against the student API and the ES2022 library,
 * all bundled (nothing is fetched from a CDN).
 */
import { createWorker } from '@valtown/codemirror-ts/worker';
import { createSystem, createVirtualTypeScriptEnvironment } from '@typescript/vfs';
import * as Comlink from 'comlink';
import ts from 'typescript';
import { STUDENT_COMPILER_OPTIONS } from './compiler-options';
import { SANDBOX_GLOBALS, SANDBOX_GLOBALS_PATH, STUDENT_FILE_PATH, SYS_DECLARATIONS_PATH } from './sandbox-globals';
import { typeSysParameters } from './typed-sys';

// The ES2022 library without the DOM: lib.es2022.d.ts and the files it references.
const libraryModules = import.meta.glob<{ default: string }>(
  [
    '/node_modules/typescript/lib/lib.es5.d.ts',
    '/node_modules/typescript/lib/lib.es201*.d.ts',
    '/node_modules/typescript/lib/lib.es202[012]*.d.ts',
    '/node_modules/typescript/lib/lib.decorators*.d.ts',
  ],
  { query: '?raw', eager: true },
);
const sysDeclarations = import.meta.glob<{ default: string }>('./sys.d.ts', { query: '?raw', eager: true })['./sys.d.ts'].default;

function studentEnvironment() {
  const files = new Map<string, string>();
  for (const [file, module] of Object.entries(libraryModules)) files.set(`/${file.slice(file.lastIndexOf('/') + 1)}`, module.default);
  files.set(SYS_DECLARATIONS_PATH, sysDeclarations);
  files.set(SANDBOX_GLOBALS_PATH, SANDBOX_GLOBALS);
  // A file the system reads as empty does not exist for TypeScript; the editor sends the real text next.
  files.set(STUDENT_FILE_PATH, 'export {};\n');
  return createVirtualTypeScriptEnvironment(createSystem(files), [SANDBOX_GLOBALS_PATH, STUDENT_FILE_PATH], ts, STUDENT_COMPILER_OPTIONS);
}

const languageService = createWorker(studentEnvironment);
// The editor has one file; its positions are the student's, the language service's are the typed text's.
let student = typeSysParameters('');

type Request<Method extends keyof typeof languageService> = Parameters<(typeof languageService)[Method]>[0];

Comlink.expose({
  initialize: () => languageService.initialize(),
  updateFile({ path, code }: Request<'updateFile'>) {
    student = typeSysParameters(code);
    languageService.updateFile({ path, code: student.text });
  },
  getLints(request: Request<'getLints'>) {
    return languageService.getLints(request).map((lint) => ({ ...lint, from: student.fromTyped(lint.from), to: student.fromTyped(lint.to) }));
  },
  async getAutocompletion({ path, context }: Request<'getAutocompletion'>) {
    const completion = await languageService.getAutocompletion({ path, context: { ...context, pos: student.toTyped(context.pos) } });
    return completion && { ...completion, from: student.fromTyped(completion.from) };
  },
  getHover({ path, pos }: Request<'getHover'>) {
    const hover = languageService.getHover({ path, pos: student.toTyped(pos) });
    return hover && { ...hover, start: student.fromTyped(hover.start), end: student.fromTyped(hover.end) };
  },
});
