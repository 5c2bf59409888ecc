/**
 * The TypeScript language service of the code editor, off the main thread: a
 * program file checked against the student API, or a test file against the test
 * harness, and the ES2022 library, all bundled (nothing is fetched from a CDN).
 */
import { createWorker } from '@valtown/codemirror-ts/worker';
import { createSystem, createVirtualTypeScriptEnvironment } from '@typescript/vfs';
import * as Comlink from 'comlink';
import ts from 'typescript';
import { STUDENT_COMPILER_OPTIONS } from './compiler-options';
import { SANDBOX_GLOBALS, SANDBOX_GLOBALS_PATH, STUDENT_FILE_PATH, SYS_DECLARATIONS_PATH, TEST_FILE_PATH, TEST_GLOBALS, TEST_GLOBALS_PATH } from './sandbox-globals';
import { typeSysParameters, type TypedSource } from './typed-sys';
import type { EditedFile } from './language-service';

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
// Built by scripts/build.mjs; loaded only by a test file's editor, so students' editors never fetch it.
const harnessDeclarations = import.meta.glob<{ default: Record<string, string> }>('/dist/harness-declarations.json');

function libraryFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [file, module] of Object.entries(libraryModules)) files.set(`/${file.slice(file.lastIndexOf('/') + 1)}`, module.default);
  return files;
}

function programEnvironment() {
  const files = libraryFiles();
  files.set(SYS_DECLARATIONS_PATH, sysDeclarations);
  files.set(SANDBOX_GLOBALS_PATH, SANDBOX_GLOBALS);
  // A file the system reads as empty does not exist for TypeScript; the editor sends the real text next.
  files.set(STUDENT_FILE_PATH, 'export {};\n');
  return createVirtualTypeScriptEnvironment(createSystem(files), [SANDBOX_GLOBALS_PATH, STUDENT_FILE_PATH], ts, STUDENT_COMPILER_OPTIONS);
}

async function testsEnvironment() {
  const load = harnessDeclarations['/dist/harness-declarations.json'];
  if (!load) throw new Error('dist/harness-declarations.json is missing: run node scripts/build.mjs before building the web app');
  const files = libraryFiles();
  for (const [file, text] of Object.entries((await load()).default)) files.set(`/${file}`, text);
  files.set(TEST_GLOBALS_PATH, TEST_GLOBALS);
  files.set(TEST_FILE_PATH, 'export {};\n');
  return createVirtualTypeScriptEnvironment(createSystem(files), [TEST_GLOBALS_PATH, TEST_FILE_PATH], ts, STUDENT_COMPILER_OPTIONS);
}

let edited: EditedFile = 'program';
const languageService = createWorker(() => (edited === 'tests' ? testsEnvironment() : programEnvironment()));

/** A program's `sys` parameters are typed; a test file is read as written. */
function typed(code: string): TypedSource {
  if (edited === 'program') return typeSysParameters(code);
  return { text: code, toTyped: (pos) => pos, fromTyped: (pos) => pos };
}

// The editor has one file; its positions are the author's, the language service's are the typed text's.
let current = typed('');

type Request<Method extends keyof typeof languageService> = Parameters<(typeof languageService)[Method]>[0];

Comlink.expose({
  initialize(file: EditedFile) {
    edited = file;
    return languageService.initialize();
  },
  updateFile({ path, code }: Request<'updateFile'>) {
    current = typed(code);
    languageService.updateFile({ path, code: current.text });
  },
  getLints(request: Request<'getLints'>) {
    return languageService.getLints(request).map((lint) => ({ ...lint, from: current.fromTyped(lint.from), to: current.fromTyped(lint.to) }));
  },
  async getAutocompletion({ path, context }: Request<'getAutocompletion'>) {
    const completion = await languageService.getAutocompletion({ path, context: { ...context, pos: current.toTyped(context.pos) } });
    return completion && { ...completion, from: current.fromTyped(completion.from) };
  },
  getHover({ path, pos }: Request<'getHover'>) {
    const hover = languageService.getHover({ path, pos: current.toTyped(pos) });
    return hover && { ...hover, start: current.fromTyped(hover.start), end: current.fromTyped(hover.end) };
  },
});
