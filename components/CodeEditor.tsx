'use client';

/**
 * The student's code in CodeMirror 6, with TypeScript highlighting at once and
 * the TypeScript language service (completion, hover docs and type errors for
 * `sys`, or for the test harness in an exercise's test file) from a web worker
 * loaded once the editor is interactive. Completion,
 * linting and bracket closing load with it, to keep the page's first load small.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from 'react';
import { adaptiveTheme } from './editor/theme';
import type { EditedFile } from './editor/language-service';
import { typescript } from './editor/typescript-language';

export interface CodeEditorHandle {
  /** Moves the cursor to 1-based `line` and `column` and shows `message` there (a compile error from the grader). */
  markError(line: number, column: number, message: string): void;
  focus(): void;
}

export interface CodeEditorProps {
  value: string;
  onChange?: (value: string) => void;
  /** Ctrl/Cmd-Enter: run the visible tests. */
  onRun?: () => void;
  /** Ctrl/Cmd-Shift-Enter: submit. */
  onSubmit?: () => void;
  readOnly?: boolean;
  /** The accessible name of the editable content. */
  label?: string;
  /** `text` for Markdown and other prose: no TypeScript highlighting or service. */
  language?: 'typescript' | 'text';
  /**
   * When the TypeScript service (completion and checks against `sys`) starts: once the browser is
   * idle, on the editor's first focus (a page of many editors), or never (files it cannot check).
   */
  languageService?: 'idle' | 'focus' | 'never';
  /** What the service checks the file against: the student API (a program) or the test harness (an exercise's tests). */
  file?: EditedFile;
  ref?: Ref<CodeEditorHandle>;
}

/**
 * The editable content's name, and an explicit tab stop: with it, checkers see that the scrolling
 * area around it holds focusable content (a long file scrolls, and a keyboard must reach it).
 */
function contentAttributes(label: string) {
  return EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' });
}

export default function CodeEditor({ value, onChange, onRun, onSubmit, readOnly = false, label = 'Code', language = 'typescript', languageService: serviceStart = 'idle', file = 'program', ref }: CodeEditorProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const [mounted, setMounted] = useState(false);
  // The view is built once; its listeners read the latest props through this.
  const props = useRef({ onChange, onRun, onSubmit });
  props.current = { onChange, onRun, onSubmit };
  const compartments = useRef({
    readOnly: new Compartment(),
    label: new Compartment(),
    languageService: new Compartment(),
    graderErrors: new Compartment(),
  });

  // Before the browser paints, so the text placeholder and the editor are never on screen together.
  useLayoutEffect(() => {
    const { readOnly: readOnlyCompartment, label: labelCompartment, languageService, graderErrors } = compartments.current;
    const view = new EditorView({
      parent: hostRef.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          Prec.highest(keymap.of([
            { key: 'Mod-Shift-Enter', run: () => call(props.current.onSubmit) },
            { key: 'Mod-Enter', run: () => call(props.current.onRun) },
          ])),
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          language === 'typescript' ? typescript : EditorView.lineWrapping,
          adaptiveTheme,
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          readOnlyCompartment.of(readOnlyExtensions(readOnly)),
          labelCompartment.of(contentAttributes(label)),
          languageService.of([]),
          graderErrors.of([]),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) props.current.onChange?.(update.state.doc.toString());
          }),
        ],
      }),
    });
    viewRef.current = view;
    setMounted(true);

    // The language service loads once the browser is idle, so it never delays the editor itself.
    let stopLanguageService: (() => void) | null = null;
    let unmounted = false;
    const startLanguageService = async () => {
      if (unmounted) return;
      const { editingHelpers, loadLanguageService } = await import('./editor/language-service');
      if (unmounted) return;
      view.dispatch({ effects: languageService.reconfigure(editingHelpers) });
      const loaded = await loadLanguageService(file);
      if (unmounted) return loaded.stop();
      stopLanguageService = loaded.stop;
      view.dispatch({ effects: languageService.reconfigure([editingHelpers, loaded.extensions]) });
    };
    const whenIdle = typeof requestIdleCallback === 'function' ? requestIdleCallback : (task: () => void) => setTimeout(task, 200);
    const start = () => void startLanguageService().catch((error) => console.error('The editor could not start its TypeScript service:', error));
    // A read-only copy (a past submission, the trace viewer's source) needs no compiler.
    if (!readOnly && language === 'typescript' && serviceStart === 'idle') whenIdle(start);
    if (!readOnly && language === 'typescript' && serviceStart === 'focus') view.contentDOM.addEventListener('focus', start, { once: true });
    return () => {
      unmounted = true;
      stopLanguageService?.();
      view.destroy();
      viewRef.current = null;
    };
    // The view is created once; later prop changes reach it through the effects below.
  }, []);

  useEffect(() => {
    const view = viewRef.current;
    if (view && view.state.doc.toString() !== value) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    viewRef.current?.dispatch({ effects: compartments.current.readOnly.reconfigure(readOnlyExtensions(readOnly)) });
  }, [readOnly]);

  useEffect(() => {
    viewRef.current?.dispatch({
      effects: compartments.current.label.reconfigure(contentAttributes(label)),
    });
  }, [label]);

  useImperativeHandle(ref, () => ({
    markError: async (line, column, message) => {
      const { graderErrors, markError } = await import('./editor/grader-errors');
      const view = viewRef.current;
      if (!view) return;
      if (compartments.current.graderErrors.get(view.state) !== graderErrors) {
        view.dispatch({ effects: compartments.current.graderErrors.reconfigure(graderErrors) });
      }
      markError(view, line, column, message);
    },
    focus: () => viewRef.current?.focus(),
  }), []);

  return (
    <div>
      {/* The code as text until the editor mounts: readable at once, and the page does not shift when it does. */}
      {!mounted && (
        <pre className="min-h-64 overflow-x-auto rounded-md border border-zinc-300 py-1 pl-10 font-mono text-sm leading-normal dark:border-zinc-700">
          {value}
        </pre>
      )}
      <div ref={hostRef} className="[&_.cm-editor]:min-h-64" />
    </div>
  );
}

/** Runs a keyboard shortcut's action; without one the key does what it would otherwise. */
function call(action: (() => void) | undefined): boolean {
  if (!action) return false;
  action();
  return true;
}

function readOnlyExtensions(readOnly: boolean) {
  return [EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)];
}
