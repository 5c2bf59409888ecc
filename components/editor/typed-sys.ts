import ts from 'typescript';

/**
 * The student's file as the language service reads it: every parameter named
 * `sys` that has no type, or the type `any` the starter code gives it, is typed
 * `Sys`, so completion and checks work in JavaScript-style code too. The
 * positions the editor and the language service exchange are mapped across.
 */
export interface TypedSource {
  text: string;
  /** A position in the student's text, in `text`. */
  toTyped(pos: number): number;
  /** A position in `text`, in the student's text (inside an inserted annotation: where it was inserted). */
  fromTyped(pos: number): number;
}

const ANNOTATION = ': Sys';

export function typeSysParameters(source: string): TypedSource {
  const file = ts.createSourceFile('main.ts', source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  // Where `: Sys` goes (untyped) and where `any` becomes `Sys` (same length, so no shift), in source order.
  const insertions: number[] = [];
  const replacements: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isParameter(node) && ts.isIdentifier(node.name) && node.name.text === 'sys' && !node.dotDotDotToken) {
      if (!node.type) insertions.push((node.questionToken ?? node.name).end);
      else if (node.type.kind === ts.SyntaxKind.AnyKeyword) replacements.push(node.type.getStart(file));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);

  let text = source;
  for (const at of replacements) text = `${text.slice(0, at)}Sys${text.slice(at + 3)}`;
  for (const at of [...insertions].reverse()) text = `${text.slice(0, at)}${ANNOTATION}${text.slice(at)}`;

  return {
    text,
    // A position right after `sys` stays before the annotation: completion there is of the name.
    toTyped: (pos) => pos + ANNOTATION.length * insertions.filter((at) => at < pos).length,
    fromTyped: (pos) => {
      let shift = 0;
      for (const at of insertions) {
        if (pos <= at + shift) break;
        if (pos < at + shift + ANNOTATION.length) return at;
        shift += ANNOTATION.length;
      }
      return pos - shift;
    },
  };
}
