import ts from 'typescript';

/** The compiler options of the editor's program: the sandbox runs ES2022 with no DOM and no Node. */
export const STUDENT_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts'],
  // Not strict: correct JavaScript-style code (`main(sys, argv)`, `let fd = null`) must show no error.
  strict: false,
  skipLibCheck: true,
  types: [],
};
