'use client';

/**
 * Known-wrong solutions: each a program under wrong/ with the mistake it makes, the requirement it
 * violates, the tests it must fail and the feedback it must get (a regular expression the first
 * failed test's message matches), kept in exercise.json's `wrong` list beside its file. Validate
 * proves each one.
 */
import type { Dispatch, SetStateAction } from 'react';
import type { PackageFiles } from '@/common/package';
import CodeEditor from '../CodeEditor';
import type { Metadata } from './MetadataForm';
import { secondaryButton, smallField } from './styles';

export interface WrongEntry {
  file: string;
  mistake: string;
  violates: string;
  fails: string[];
  feedback: string;
}


/** A file name under wrong/ that the package does not use yet. */
function freshName(files: PackageFiles): string {
  for (let n = 1; ; n++) if (files[`wrong/mistake-${n}.ts`] === undefined) return `wrong/mistake-${n}.ts`;
}

export default function KnownWrongSolutions({ entries, requirementIds, files, starter, metadata, onMetadata, onFiles }: {
  entries: WrongEntry[];
  /** The ids of the exercise's requirements, one of which each known-wrong solution violates. */
  requirementIds: string[];
  files: PackageFiles;
  starter: string;
  metadata: Metadata;
  onMetadata: (metadata: Metadata) => void;
  onFiles: Dispatch<SetStateAction<PackageFiles>>;
}) {
  const setEntries = (next: WrongEntry[]) => onMetadata({ ...metadata, wrong: next });
  const update = (index: number, change: Partial<WrongEntry>) => setEntries(entries.map((entry, i) => (i === index ? { ...entry, ...change } : entry)));

  const add = () => {
    const file = freshName(files);
    onFiles((current) => ({ ...current, [file]: starter }));
    setEntries([...entries, { file, mistake: '', violates: '', fails: [], feedback: '' }]);
  };
  const rename = (index: number, file: string) => {
    const old = entries[index].file;
    onFiles((current) => {
      const { [old]: source = '', ...rest } = current;
      return { ...rest, [file]: source };
    });
    update(index, { file });
  };
  const remove = (index: number) => {
    const { file } = entries[index];
    onFiles((current) => Object.fromEntries(Object.entries(current).filter(([path]) => path !== file)));
    setEntries(entries.filter((_, i) => i !== index));
  };

  return (
    <section aria-label="Known-wrong solutions" className="flex flex-col gap-3">
      <h2 className="text-lg font-semibold">Known-wrong solutions</h2>
      {entries.length === 0 && <p className="text-sm text-zinc-600 dark:text-zinc-400">None yet. Each one proves that a test catches a mistake students make.</p>}
      {entries.map((entry, index) => {
        const name = `Known-wrong solution ${index + 1}`;
        return (
          <fieldset key={index} className="flex flex-col gap-2 rounded border border-zinc-200 p-3 dark:border-zinc-800">
            <legend className="px-1 text-sm font-semibold">{name}</legend>
            <div className="grid gap-2 md:grid-cols-3">
              <label className="flex flex-col gap-1 text-sm font-medium">
                File
                <input className={`${smallField} font-mono`} value={entry.file} onChange={(event) => rename(index, event.target.value)} />
              </label>
              <label className="flex flex-col gap-1 text-sm font-medium">
                Mistake
                <input className={smallField} value={entry.mistake} onChange={(event) => update(index, { mistake: event.target.value })} />
              </label>
              <label className="flex flex-col gap-1 text-sm font-medium">
                Tests it must fail (one per line)
                <textarea className={smallField} rows={2} value={entry.fails.join('\n')} onChange={(event) => update(index, { fails: event.target.value.split('\n') })} />
              </label>
              <label className="flex flex-col gap-1 text-sm font-medium">
                Requirement it violates
                <select className={`${smallField} font-mono`} value={entry.violates} onChange={(event) => update(index, { violates: event.target.value })}>
                  {!requirementIds.includes(entry.violates) && <option value={entry.violates}>{entry.violates === '' ? 'Choose a requirement' : `${entry.violates} (no such requirement)`}</option>}
                  {requirementIds.map((id) => <option key={id} value={id}>{id}</option>)}
                </select>
              </label>
              <label className="flex flex-col gap-1 text-sm font-medium md:col-span-2">
                Feedback it must get (a regular expression, case-insensitive)
                <input className={`${smallField} font-mono`} value={entry.feedback} onChange={(event) => update(index, { feedback: event.target.value })} />
              </label>
            </div>
            <CodeEditor label={name} value={files[entry.file] ?? ''} onChange={(text) => onFiles((current) => ({ ...current, [entry.file]: text }))} languageService="focus" />
            <button type="button" onClick={() => remove(index)} className="self-start text-sm text-red-700 underline dark:text-red-300">Remove {name.toLowerCase()}</button>
          </fieldset>
        );
      })}
      <button type="button" onClick={add} className={`self-start ${secondaryButton}`}>
        Add known-wrong solution
      </button>
    </section>
  );
}
