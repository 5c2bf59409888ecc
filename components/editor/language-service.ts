/**
 * The editor's TypeScript features (completion, hover docs, type errors),
 * loaded after the editor is interactive. The compiler runs in ts.worker.ts;
 * this side only asks it questions, so it imports nothing of TypeScript (the
 * library's ready-made extensions would pull the compiler into the page).
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { linter, lintGutter, lintKeymap } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import { hoverTooltip, keymap, ViewPlugin } from '@codemirror/view';
import type { HoverInfo } from '@valtown/codemirror-ts';
import type { WorkerShape } from '@valtown/codemirror-ts/worker';
import * as Comlink from 'comlink';
import { STUDENT_FILE_PATH, TEST_FILE_PATH } from './sandbox-globals';

/** What the editor holds: a program (checked against `sys`) or an exercise's test file (against the test harness). */
export type EditedFile = 'program' | 'tests';

/** The worker's side, whose `initialize` is told which kind of file it checks. */
type LanguageWorker = Omit<WorkerShape, 'initialize'> & { initialize(file: EditedFile): Promise<void> };

/** Editing helpers that need no compiler: they come with the language service to keep the first load small. */
export const editingHelpers: Extension = [
  closeBrackets(),
  keymap.of([...closeBracketsKeymap, ...completionKeymap, ...lintKeymap]),
];

/** Starts the worker and resolves once its language service is ready, with the editor extensions that use it. */
export async function loadLanguageService(file: EditedFile): Promise<{ extensions: Extension; stop: () => void }> {
  const path = file === 'tests' ? TEST_FILE_PATH : STUDENT_FILE_PATH;
  const worker = new Worker(new URL('./ts.worker.ts', import.meta.url));
  const service = Comlink.wrap(worker) as unknown as LanguageWorker;
  await service.initialize(file);
  return {
    extensions: [
      // Sends the whole text when installed and after every change; the worker answers in order.
      ViewPlugin.define((view) => {
        void service.updateFile({ path, code: view.state.doc.toString() });
        return {
          update(update) {
            if (update.docChanged) void service.updateFile({ path, code: update.state.doc.toString() });
          },
        };
      }),
      linter(() => service.getLints({ path, diagnosticCodesToIgnore: [] })),
      lintGutter(),
      autocompletion({ override: [(context) => service.getAutocompletion({ path, context: { pos: context.pos, explicit: context.explicit } })] }),
      hoverTooltip(async (_view, pos) => {
        const info = await service.getHover({ path, pos });
        return info ? { pos: info.start, end: info.end, create: () => renderHover(info) } : null;
      }),
    ],
    stop: () => worker.terminate(),
  };
}

/** The hovered name's signature, then its documentation. */
function renderHover(info: HoverInfo): { dom: HTMLElement } {
  const dom = document.createElement('div');
  dom.className = 'cm-hover-docs';
  const signature = dom.appendChild(document.createElement('code'));
  signature.textContent = info.quickInfo?.displayParts?.map((part) => part.text).join('') ?? '';
  const documentation = info.quickInfo?.documentation?.map((part) => part.text).join('');
  if (documentation) dom.appendChild(document.createElement('p')).textContent = documentation;
  return { dom };
}
