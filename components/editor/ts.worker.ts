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
import { SANDBOX_GLOBALS, SANDBOX_GLOBALS_PATH, STUDENT_FILE_PATH, SYS_DECLARATIONS_PATH, typedSys } from './sandbox-globals';

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

Comlink.expose({
  ...languageService,
  updateFile: ({ path, code }: { path: string; code: string }) => languageService.updateFile({ path, code: typedSys(code) }),
});
