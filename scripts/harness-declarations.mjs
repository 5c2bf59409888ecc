/**
 * The test harness's declarations (grader/harness.ts and the files its types come from), emitted by
 * TypeScript as `{ "grader/harness.d.ts": "…", "kernel/types.d.ts": "…", … }`: what the authoring
 * page's test editors complete and check against, with no grader code in the web app.
 */
import ts from 'typescript';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const ENTRY = 'grader/harness.ts';

export function writeHarnessDeclarations(root, outfile) {
  const program = ts.createProgram([path.join(root, ENTRY)], {
    declaration: true,
    emitDeclarationOnly: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
    types: [],
    rootDir: root,
    outDir: root,
  });
  // Only the files the harness's declarations import, followed one relative import at a time.
  const declarations = {};
  const pending = [ENTRY];
  const seen = new Set(pending);
  while (pending.length > 0) {
    const source = pending.pop();
    program.emit(program.getSourceFile(path.join(root, source)), (file, text) => {
      declarations[path.relative(root, file)] = text;
      for (const [, specifier] of text.matchAll(/from '(\.[^']*)'/g)) {
        const base = path.join(path.dirname(source), specifier);
        const next = [`${base}.ts`, `${base}/index.ts`].find((candidate) => program.getSourceFile(path.join(root, candidate)));
        if (next && !seen.has(next)) {
          seen.add(next);
          pending.push(next);
        }
      }
    }, undefined, true);
  }
  if (!declarations['grader/harness.d.ts']) throw new Error(`TypeScript emitted no declarations for ${ENTRY}`);
  writeFileSync(path.join(root, outfile), `${JSON.stringify(declarations)}\n`);
}
