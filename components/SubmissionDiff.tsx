'use client';

import { diffLines } from 'diff';
import { useMemo, useState } from 'react';

interface Version {
  id: string;
  label: string;
  code: string;
}

/** Two of a student's submissions side by side as a line diff: what changed between tries. */
export default function SubmissionDiff({ versions }: { versions: Version[] }) {
  const [older, setOlder] = useState(versions[1]?.id ?? versions[0]?.id);
  const [newer, setNewer] = useState(versions[0]?.id);
  const parts = useMemo(() => {
    const from = versions.find((v) => v.id === older)?.code ?? '';
    const to = versions.find((v) => v.id === newer)?.code ?? '';
    return diffLines(from, to);
  }, [versions, older, newer]);
  const select = (label: string, value: string | undefined, set: (id: string) => void) => (
    <label className="flex flex-col gap-1 text-sm font-medium">
      {label}
      <select value={value} onChange={(event) => set(event.target.value)} className="rounded border border-zinc-300 bg-white px-2 py-1 font-normal dark:border-zinc-700 dark:bg-zinc-900">
        {versions.map((version) => <option key={version.id} value={version.id}>{version.label}</option>)}
      </select>
    </label>
  );
  return (
    <section aria-labelledby="diff-heading" className="flex flex-col gap-3">
      <h2 id="diff-heading" className="text-lg font-semibold">Compare two submissions</h2>
      <div className="flex flex-wrap gap-4">
        {select('From', older, setOlder)}
        {select('To', newer, setNewer)}
      </div>
      <pre aria-label="Differences" tabIndex={0} className="overflow-x-auto rounded border border-zinc-200 text-sm leading-snug dark:border-zinc-800">
        {parts.map((part, index) => (
          <span key={index} className={`block px-3 ${part.added ? 'bg-emerald-100 dark:bg-emerald-950' : part.removed ? 'bg-red-100 dark:bg-red-950' : ''}`}>
            {part.value.replace(/\n$/, '').split('\n').map((line) => `${part.added ? '+ ' : part.removed ? '- ' : '  '}${line}`).join('\n')}
          </span>
        ))}
      </pre>
    </section>
  );
}
