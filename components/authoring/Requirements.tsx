'use client';

/**
 * The statement's requirements, each with the tests that check it, kept in exercise.json's
 * `requirements` list. Validate proves every test checks one and every requirement has a test.
 */
import type { Metadata } from './MetadataForm';
import { secondaryButton, smallField } from './styles';

export interface RequirementEntry {
  id: string;
  text: string;
  tests: string[];
}

/** An id no requirement uses yet. */
function freshId(entries: RequirementEntry[]): string {
  for (let n = 1; ; n++) if (!entries.some((entry) => entry.id === `requirement-${n}`)) return `requirement-${n}`;
}

export default function Requirements({ entries, metadata, onMetadata }: {
  entries: RequirementEntry[];
  metadata: Metadata;
  onMetadata: (metadata: Metadata) => void;
}) {
  const setEntries = (next: RequirementEntry[]) => onMetadata({ ...metadata, requirements: next });
  const update = (index: number, change: Partial<RequirementEntry>) => setEntries(entries.map((entry, i) => (i === index ? { ...entry, ...change } : entry)));

  return (
    <section aria-label="Requirements" className="flex flex-col gap-3">
      <h2 className="text-lg font-semibold">Requirements</h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">What the statement asks, sentence by sentence, each with the tests that check it. Every test must check one.</p>
      {entries.map((entry, index) => {
        const name = `Requirement ${index + 1}`;
        return (
          <fieldset key={index} className="flex flex-col gap-2 rounded border border-zinc-200 p-3 dark:border-zinc-800">
            <legend className="px-1 text-sm font-semibold">{name}</legend>
            <div className="grid gap-2 md:grid-cols-3">
              <label className="flex flex-col gap-1 text-sm font-medium">
                Id
                <input className={`${smallField} font-mono`} value={entry.id} onChange={(event) => update(index, { id: event.target.value })} />
              </label>
              <label className="flex flex-col gap-1 text-sm font-medium">
                Requirement
                <textarea className={smallField} rows={2} value={entry.text} onChange={(event) => update(index, { text: event.target.value })} />
              </label>
              <label className="flex flex-col gap-1 text-sm font-medium">
                Tests that check it (one per line)
                <textarea className={smallField} rows={2} value={entry.tests.join('\n')} onChange={(event) => update(index, { tests: event.target.value.split('\n') })} />
              </label>
            </div>
            <button type="button" onClick={() => setEntries(entries.filter((_, i) => i !== index))} className="self-start text-sm text-red-700 underline dark:text-red-300">Remove {name.toLowerCase()}</button>
          </fieldset>
        );
      })}
      <button type="button" onClick={() => setEntries([...entries, { id: freshId(entries), text: '', tests: [] }])} className={`self-start ${secondaryButton}`}>
        Add requirement
      </button>
    </section>
  );
}
