'use client';

import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { compileErrorPosition, statusText, type SubmissionJson } from '@/lib/submission-view';
import type { BrowserRun } from '@/lib/assignments';
import CodeEditor, { type CodeEditorHandle } from './CodeEditor';
import RunPanel, { type StepReplay } from './RunPanel';
import SubmissionStatus from './SubmissionStatus';
import TestResults from './TestResults';

interface Props {
  courseId: string;
  slug: string;
  initialCode: string;
  latest: SubmissionJson | null;
  /** The Run panel's exercise settings; without them (a package the server could not read) there is no panel. */
  browserRun: BrowserRun | null;
}

/** How long typing must pause before the draft is saved. */
const AUTOSAVE_AFTER_MS = 800;

type Kind = SubmissionJson['kind'];

/** The editor, the two buttons, the live status and the latest result: a student's working loop. */
export default function ExerciseWorkspace({ courseId, slug, initialCode, latest, browserRun }: Props) {
  const [code, setCode] = useState(initialCode);
  const [status, setStatus] = useState(latest ? statusText(latest.state, latest.score, latest.maxScore, latest.result?.message) : '');
  const [shown, setShown] = useState<SubmissionJson | null>(latest?.result ? latest : null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [saved, setSaved] = useState<'saved' | 'saving' | 'failed' | null>(null);
  const [busy, setBusy] = useState(false);
  const [replay, setReplay] = useState<StepReplay | null>(null);
  const editor = useRef<CodeEditorHandle>(null);
  const stream = useRef<EventSource | null>(null);

  useEffect(() => () => stream.current?.close(), []);

  useEffect(() => {
    if (code === initialCode) return;
    setSaved('saving');
    const timer = setTimeout(async () => {
      const response = await fetch(`/api/courses/${courseId}/exercises/${slug}/draft`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      }).catch(() => null);
      setSaved(response?.ok ? 'saved' : 'failed');
    }, AUTOSAVE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [code, courseId, slug, initialCode]);

  const showResult = useCallback(async (id: string) => {
    const response = await fetch(`/api/submissions/${id}`);
    if (!response.ok) return;
    const submission = (await response.json()) as SubmissionJson;
    setStatus(statusText(submission.state, submission.score, submission.maxScore, submission.result?.message));
    setShown(submission);
    const position = submission.result?.status === 'compile-error' ? compileErrorPosition(submission.result.message) : null;
    if (position) editor.current?.markError(position.line, position.column, submission.result?.message ?? 'Compile error');
  }, []);

  const follow = useCallback((id: string) => {
    stream.current?.close();
    const events = new EventSource(`/api/submissions/${id}/events`);
    stream.current = events;
    events.addEventListener('state', (event) => {
      const { state, score, maxScore } = JSON.parse((event as MessageEvent<string>).data) as { state: SubmissionJson['state']; score?: number; maxScore?: number };
      setStatus(statusText(state, score, maxScore));
      if (state === 'graded' || state === 'error') {
        events.close();
        setBusy(false);
        void showResult(id);
      }
    });
    // The browser reconnects a dropped stream by itself; a stream that cannot be opened is polled once.
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) void showResult(id).finally(() => setBusy(false));
    };
  }, [showResult]);

  const send = useCallback(async (kind: Kind) => {
    if (busy) return;
    setBusy(true);
    setRefusal(null);
    const response = await fetch('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ course: courseId, exercise: slug, code, kind }),
    }).catch(() => null);
    if (!response?.ok) {
      setBusy(false);
      const body = response ? ((await response.json().catch(() => ({}))) as { error?: string }) : {};
      setRefusal(body.error ?? 'The server cannot be reached; your code is still here. Try again in a moment.');
      return;
    }
    const { id } = (await response.json()) as { id: string };
    setStatus(statusText('queued'));
    follow(id);
  }, [busy, code, courseId, slug, follow]);

  return (
    <section aria-label="Your solution" className="flex flex-col gap-3">
      <CodeEditor ref={editor} value={code} onChange={setCode} onRun={() => void send('visible')} onSubmit={() => void send('submit')} label="Code" />
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" onClick={() => void send('visible')} disabled={busy} title="Ctrl+Enter"
          className="rounded border border-indigo-700 px-4 py-2 font-medium text-indigo-700 hover:bg-indigo-50 disabled:opacity-60 dark:border-indigo-300 dark:text-indigo-200 dark:hover:bg-indigo-950">
          Run visible tests
        </button>
        <button type="button" onClick={() => void send('submit')} disabled={busy} title="Ctrl+Shift+Enter"
          className="rounded bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800 disabled:opacity-60">
          Submit
        </button>
        <span className="text-xs text-zinc-600 dark:text-zinc-400" aria-live="off">
          {saved === 'saving' ? 'Saving draft…' : saved === 'saved' ? 'Draft saved' : saved === 'failed' ? 'Draft not saved (offline?)' : ''}
        </span>
        <Link href={`/courses/${courseId}/exercises/${slug}/history`} className="ml-auto text-sm text-indigo-700 underline dark:text-indigo-300">History</Link>
      </div>
      <SubmissionStatus text={status} />
      {refusal && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{refusal}</p>}
      <div className="min-h-24">
        {shown?.result && (
          <>
            <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
              {shown.kind === 'visible' ? 'Visible tests only (does not count).' : 'Submission.'}{' '}
              <Link href={`/submissions/${shown.id}`} className="text-indigo-700 underline dark:text-indigo-300">Open this submission</Link>
            </p>
            <TestResults
              result={shown.result}
              extra={(test) => {
                const counterexample = !test.passed ? test.counterexample : null;
                if (!counterexample) return null;
                return (
                  <div className="mt-1 flex flex-wrap gap-3 text-sm">
                    <Link href={`/submissions/${shown.id}#${encodeURIComponent(test.name)}`} className="text-indigo-700 underline dark:text-indigo-300">
                      See the interleaving that fails
                    </Link>
                    {/* Opens the failing run in the Run panel with the code now in the editor; its inputs came with the (visible, or shown) test. */}
                    {browserRun && counterexample.request && (
                      <button type="button" className="text-indigo-700 underline dark:text-indigo-300"
                        onClick={() => setReplay({ run: counterexample.request!, decisions: counterexample.decisions, title: `the counterexample of '${test.name}'` })}>
                        Replay step by step
                      </button>
                    )}
                  </div>
                );
              }}
            />
          </>
        )}
      </div>
      {browserRun && <RunPanel code={code} browserRun={browserRun} slug={slug} replay={replay} />}
    </section>
  );
}
