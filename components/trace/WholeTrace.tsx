'use client';

import { useState } from 'react';
import type { Counterexample } from '@/grader/harness';

interface Props {
  submissionId: string;
  test: string;
  counterexample: Counterexample;
  /** Called with the rebuilt counterexample once the worker has it. */
  onLoaded: (whole: Counterexample) => void;
}

interface FullTraceView {
  state: 'queued' | 'ready' | 'failed';
  counterexample: Counterexample | null;
  message: string | null;
}

/** How long the page waits for the worker before it says so (a rebuilt test takes well under a second). */
const PATIENCE_MS = 60_000;
const POLL_MS = 500;

async function answer(response: Response): Promise<FullTraceView> {
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `The server answered ${response.status}.`);
  return body as FullTraceView;
}

/** The notice on a trimmed trace, and the button that has the worker rebuild it whole. */
export default function WholeTrace({ submissionId, test, counterexample, onLoaded }: Props) {
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const url = `/api/submissions/${encodeURIComponent(submissionId)}/trace`;

  const load = async () => {
    setBusy(true);
    setStatus('Rebuilding the whole trace…');
    try {
      let view = await answer(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ test }) }));
      const deadline = Date.now() + PATIENCE_MS;
      while (view.state === 'queued' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        view = await answer(await fetch(`${url}?test=${encodeURIComponent(test)}`));
      }
      if (view.state === 'ready' && view.counterexample) {
        setStatus(null);
        onLoaded(view.counterexample);
      } else {
        setStatus(view.message ?? 'The graders are busy: the whole trace is still being rebuilt. Try again in a minute.');
      }
    } catch (error) {
      setStatus((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex flex-wrap items-center gap-2 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <p>
        The stored result keeps the last {counterexample.trace.length.toLocaleString('en')} steps of this run; its first{' '}
        {counterexample.traceTrimmed?.toLocaleString('en')} are left out.
      </p>
      <button type="button" onClick={load} disabled={busy}
        className="rounded border border-amber-700 px-2 py-1 font-medium hover:bg-amber-100 disabled:opacity-50 dark:border-amber-300 dark:hover:bg-amber-900">
        Load the whole trace
      </button>
      <span role="status">{status}</span>
    </div>
  );
}
