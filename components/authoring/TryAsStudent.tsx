'use client';

/**
 * "Try as a student": one program of the draft (the starter, the reference or a known-wrong
 * solution) graded against the visible tests through the queue, and its results as a student
 * would see them.
 */
import { useEffect, useRef, useState } from 'react';
import type { GradeResult } from '@/grader/grade';
import SubmissionStatus from '../SubmissionStatus';
import TestResults from '../TestResults';
import { followDraftRun } from './follow-draft-run';
import { secondaryButton, smallField } from './styles';

export default function TryAsStudent({ slug, programs, beforeRun }: { slug: string | null; programs: string[]; beforeRun: () => Promise<boolean> }) {
  const [program, setProgram] = useState(programs[0] ?? '');
  const [status, setStatus] = useState('');
  const [result, setResult] = useState<GradeResult | null>(null);
  const [busy, setBusy] = useState(false);
  const stop = useRef<(() => void) | null>(null);
  useEffect(() => () => stop.current?.(), []);
  const chosen = programs.includes(program) ? program : programs[0];

  const run = async () => {
    if (!slug || !(await beforeRun())) return;
    setBusy(true);
    setResult(null);
    setStatus('Queued');
    const response = await fetch(`/api/exercises/${slug}/try`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ file: chosen }) }).catch(() => null);
    if (!response?.ok) {
      setBusy(false);
      const body = response ? ((await response.json().catch(() => ({}))) as { error?: string }) : {};
      setStatus(`Error: ${body.error ?? 'the server cannot be reached.'}`);
      return;
    }
    const { id } = (await response.json()) as { id: string };
    stop.current?.();
    stop.current = followDraftRun(id, {
      onState: (state) => setStatus(state === 'running' ? 'Running' : 'Queued'),
      onEnd: async (state) => {
        setBusy(false);
        const view = await fetch(`/api/draft-runs/${id}`).then((answer) => answer.json() as Promise<{ result: GradeResult | null }>).catch(() => null);
        const grade = view?.result ?? null;
        setResult(grade);
        setStatus(state === 'error' || !grade ? 'Error: the run could not finish; try again.' : grade.status === 'graded' ? `Graded: ${grade.score}/${grade.maxScore}` : `Error: ${grade.message ?? grade.status}`);
      },
    });
  };

  return (
    <section aria-label="Try as a student" className="flex flex-col gap-3 rounded border border-zinc-200 p-3 dark:border-zinc-800">
      <h2 className="text-lg font-semibold">Try as a student</h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Runs one program of the draft against the visible tests, as a student&apos;s “Run visible tests” would.</p>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium">
          Program
          <select className={`${smallField} font-mono`} value={chosen} onChange={(event) => setProgram(event.target.value)}>
            {programs.map((path) => <option key={path}>{path}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => void run()} disabled={busy || !slug}
          className={secondaryButton}>
          Try as a student
        </button>
      </div>
      <SubmissionStatus text={status} />
      {result && <TestResults result={result} />}
    </section>
  );
}
