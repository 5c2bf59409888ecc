/**
 * Turns a submission's source into a script that, run in a sandbox context, evaluates to a module
 * factory: each call of it evaluates a fresh instance of the module (one address space per process).
 */
import ts from 'typescript';

export type CompiledProgram = { ok: true; script: string } | { ok: false; message: string };

/** The largest submission file accepted: an exercise's solution is a few KiB, and the parser's time grows faster than the size. */
export const MAX_SOURCE_BYTES = 64 * 1024;

export function compileProgram(source: string, fileName: string): CompiledProgram {
  // TextEncoder, not Buffer: the browser's Run panel compiles with this same function.
  const bytes = new TextEncoder().encode(source).length;
  if (bytes > MAX_SOURCE_BYTES) {
    return { ok: false, message: `${fileName} is ${Math.ceil(bytes / 1024)} KiB; a submission file may be at most ${MAX_SOURCE_BYTES / 1024} KiB.` };
  }
  let forbiddenImport: string | null = null;
  const output = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      // A submission is an ES module, so strict mode holds even for a file with no import or export.
      moduleDetection: ts.ModuleDetectionKind.Force,
      alwaysStrict: true,
    },
    // Looks at the parsed source on its way through, instead of parsing it a second time.
    transformers: {
      before: [
        () => (file) => {
          forbiddenImport = describeFirstImport(file);
          return file;
        },
      ],
    },
  });
  const syntaxError = output.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntaxError) return { ok: false, message: describeSyntaxError(syntaxError, fileName) };
  if (forbiddenImport) return { ok: false, message: `Submissions cannot import modules (${forbiddenImport}).` };
  return { ok: true, script: wrapAsModuleFactory(output.outputText) };
}

/**
 * The CommonJS code in a fresh function scope with its own `exports` and `module`. The prelude
 * shares the first line, so line N of the script is line N of the transpiled module.
 */
function wrapAsModuleFactory(commonJs: string): string {
  return (
    "(function instantiateModule() { 'use strict'; const module = { exports: {} }; (function (exports, module) {" +
    commonJs +
    '\n}).call(undefined, module.exports, module); return module.exports; })'
  );
}

function describeSyntaxError(diagnostic: ts.Diagnostic, fileName: string): string {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  if (!diagnostic.file || diagnostic.start === undefined) return `Syntax error in ${fileName}: ${text}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `Syntax error in ${fileName} on line ${line + 1}, column ${character + 1}: ${text}`;
}

/** `'fs' on line 1` for the first import that would load a module at run time, or null. */
function describeFirstImport(file: ts.SourceFile): string | null {
  let found: string | null = null;
  const describe = (node: ts.Node, specifier: ts.Node | undefined): string => {
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    const name = specifier && ts.isStringLiteralLike(specifier) ? `'${specifier.text}'` : 'import()';
    return `${name} on line ${line}`;
  };
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isImportDeclaration(node) && !importsOnlyTypes(node.importClause)) {
      found = describe(node, node.moduleSpecifier);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      found = describe(node, node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && !node.isTypeOnly) {
      found = describe(node, node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      found = describe(node, node.arguments[0]);
    } else {
      ts.forEachChild(node, visit);
    }
  };
  visit(file);
  return found;
}

/** `import type {A} from 'x'` and `import {type A} from 'x'` vanish at compile time, so they are allowed. */
function importsOnlyTypes(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    !!bindings &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}
