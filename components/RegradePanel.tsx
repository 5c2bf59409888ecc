'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { BUTTON, postJson } from './instructor/post-json';

interface Progress {
  done: number;
  total: number;
  finished: boolean;
  changes: { student: string; before: number | null; after: number | null; tests: string[] }[];
}

const POLL_MS = 700;

function points(score: number | null): string {
  return score === null ? '—' : String(score);
}

/** **Regrade** an assignment against the exercise's newest version: live progress, then per student the old and new score. */
export default function RegradePanel({ courseId, slug, latestId, mayRegrade }: { courseId: string; slug: string; latestId: string | null; mayRegrade: boolean }) {
  const router = useRouter();
  const [regradeId, setRegradeId] = useState(latestId);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);

  const poll = useCallback(async (id: string) => {
    const response = await fetch(`/api/regrades/${id}`).catch(() => null);
    if (!response?.ok) return setError('The regrade\'s progress could not be read; reload the page.');
    const next = (await response.json()) as Progress;
    setProgress(next);
    // The page's own lines (the version graded against) change when the regrade ends.
    if (next.finished) router.refresh();
  }, [router]);

  useEffect(() => {
    if (!regradeId || progress?.finished) return;
    const timer = setTimeout(() => void poll(regradeId), progress ? POLL_MS : 0);
    return () => clearTimeout(timer);
  }, [regradeId, progress, poll]);

  const start = async () => {
    const answer = await postJson<{ id: string }>(`/api/courses/${courseId}/assignments/${slug}/regrade`);
    if (!answer.ok) return setError(answer.error);
    setError(null);
    setProgress(null);
    setRegradeId(answer.body.id);
  };

  const running = progress !== null && !progress.finished;
  return (
    <div className="flex flex-col gap-3">
      {mayRegrade && (
        <button type="button" onClick={() => void start()} disabled={running} className={`${BUTTON} self-start`}>Regrade</button>
      )}
      {error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{error}</p>}
      <p role="status" className="text-sm tabular-nums">
        {progress && `Regraded ${progress.done}/${progress.total}${progress.finished ? ': finished' : ''}`}
      </p>
      {progress?.finished && (progress.changes.length === 0 ? (
        <p className="text-sm">No student&apos;s score or test outcome changed.</p>
      ) : (
        <table className="w-full border-collapse text-left text-sm">
          <caption className="text-left font-medium">Changes after the regrade</caption>
          <thead>
            <tr className="border-b border-zinc-300 dark:border-zinc-700">
              <th scope="col" className="py-1 pr-4">Student</th>
              <th scope="col" className="py-1 pr-4">Before</th>
              <th scope="col" className="py-1 pr-4">After</th>
              <th scope="col" className="py-1">Tests that changed</th>
            </tr>
          </thead>
          <tbody>
            {progress.changes.map((change) => (
              <tr key={change.student} className="border-b border-zinc-200 dark:border-zinc-800">
                <td className="py-1 pr-4">{change.student}</td>
                <td className="py-1 pr-4 tabular-nums">{points(change.before)}</td>
                <td className="py-1 pr-4 tabular-nums">{points(change.after)}</td>
                <td className="py-1">{change.tests.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
