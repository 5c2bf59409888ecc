/**
 * Errors the grader reported at a line and column (a compile error): shown as
 * diagnostics beside the language service's own, until the student edits them.
 */
import { forceLinting, linter, type Diagnostic } from '@codemirror/lint';
import { EditorSelection, StateEffect, StateField } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

const setGraderErrors = StateEffect.define<Diagnostic[]>();

const graderErrorsField = StateField.define<Diagnostic[]>({
  create: () => [],
  update(errors, transaction) {
    for (const effect of transaction.effects) if (effect.is(setGraderErrors)) return effect.value;
    if (!transaction.docChanged) return errors;
    return errors
      .filter((error) => !transaction.changes.touchesRange(error.from, error.to))
      .map((error) => ({ ...error, from: transaction.changes.mapPos(error.from), to: transaction.changes.mapPos(error.to) }));
  },
});

export const graderErrors = [graderErrorsField, linter((view) => view.state.field(graderErrorsField))];

/** Puts the cursor at 1-based `line` and `column`, marks that spot with `message`, and focuses the editor. */
export function markError(view: EditorView, line: number, column: number, message: string): void {
  const doc = view.state.doc;
  const docLine = doc.line(Math.min(Math.max(line, 1), doc.lines));
  const from = docLine.from + Math.min(Math.max(column - 1, 0), docLine.length);
  // The word the error points at, or one character, so the mark is visible.
  const word = view.state.wordAt(from);
  const to = word && word.to > from ? word.to : Math.min(from + 1, docLine.to);
  view.dispatch({
    selection: EditorSelection.cursor(from),
    effects: [setGraderErrors.of([{ from, to, severity: 'error', message, source: 'grader' }]), EditorView.scrollIntoView(from, { y: 'center' })],
  });
  view.focus();
  forceLinting(view);
}
