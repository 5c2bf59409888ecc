/**
 * The editor's colours, light or dark as the system is: every colour is a CSS
 * `light-dark()` pair, so a change of the system's scheme needs no JavaScript.
 */
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';

const editorTheme = EditorView.theme({
  '&': {
    colorScheme: 'light dark',
    color: 'light-dark(#1f2328, #e6edf3)',
    backgroundColor: 'light-dark(#ffffff, #0d1117)',
    border: '1px solid light-dark(#d0d7de, #30363d)',
    borderRadius: '0.375rem',
    fontSize: '0.875rem',
  },
  '&.cm-focused': { outline: '2px solid light-dark(#0969da, #4493f8)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'light-dark(#1f2328, #e6edf3)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'light-dark(#1f2328, #e6edf3)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'light-dark(#b6d7ff, #264f78)',
  },
  '.cm-gutters': {
    color: 'light-dark(#57606a, #8b949e)',
    backgroundColor: 'light-dark(#f6f8fa, #161b22)',
    borderRight: '1px solid light-dark(#d0d7de, #30363d)',
  },
  '.cm-activeLine': { backgroundColor: 'light-dark(#f6f8fa80, #161b2280)' },
  '.cm-activeLineGutter': { backgroundColor: 'light-dark(#eaeef2, #21262d)' },
  '.cm-matchingBracket': { backgroundColor: 'light-dark(#d1f0d8, #1f6f3f80)' },
  '.cm-tooltip': {
    color: 'light-dark(#1f2328, #e6edf3)',
    backgroundColor: 'light-dark(#ffffff, #161b22)',
    border: '1px solid light-dark(#d0d7de, #30363d)',
    borderRadius: '0.375rem',
  },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { color: 'light-dark(#ffffff, #ffffff)', backgroundColor: 'light-dark(#0969da, #1f6feb)' },
  '.cm-hover-docs': { maxWidth: '36rem', padding: '0.375rem 0.5rem' },
  '.cm-hover-docs code': { display: 'block', whiteSpace: 'pre-wrap', fontFamily: 'ui-monospace, monospace' },
  '.cm-hover-docs p': { marginTop: '0.25rem' },
  '.cm-diagnostic-error': { borderLeftColor: 'light-dark(#cf222e, #f85149)' },
});

const highlightStyle = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.moduleKeyword, tags.operatorKeyword], color: 'light-dark(#cf222e, #ff7b72)' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'light-dark(#0a3069, #a5d6ff)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'light-dark(#0550ae, #79c0ff)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'light-dark(#57606a, #8b949e)', fontStyle: 'italic' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: 'light-dark(#8250df, #d2a8ff)' },
  { tag: [tags.typeName, tags.className, tags.namespace], color: 'light-dark(#953800, #ffa657)' },
  { tag: [tags.definition(tags.variableName), tags.propertyName], color: 'light-dark(#1f2328, #e6edf3)' },
  { tag: tags.invalid, color: 'light-dark(#cf222e, #f85149)' },
]);

export const adaptiveTheme = [editorTheme, syntaxHighlighting(highlightStyle)];
