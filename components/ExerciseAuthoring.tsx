'use client';

/**
 * The authoring workspace of web.md: slug and title, the statement with a live preview as
 * students see it, the metadata form, every file of the package in CodeMirror, the requirements
 * with the tests that check them, known-wrong solutions, and the actions (Validate, Publish, Try
 * as a student, Import, Export). The draft autosaves as the author types; Validate, Publish and
 * Try first save what is on screen.
 */
import { useCallback, useEffect, useRef, useState, type SetStateAction } from 'react';
import type { PackageFiles } from '@/common/package';
import type { ValidationCheck } from '@/common/validation-lines';
import CodeEditor from './CodeEditor';
import type { EditedFile } from './editor/language-service';
import FormField from './FormField';
import KnownWrongSolutions, { type WrongEntry } from './authoring/KnownWrongSolutions';
import MetadataForm, { type Metadata } from './authoring/MetadataForm';
import Requirements, { type RequirementEntry } from './authoring/Requirements';
import TryAsStudent from './authoring/TryAsStudent';
import ValidationPanel from './authoring/ValidationPanel';
import { primaryButton, secondaryButton } from './authoring/styles';
import { followDraftRun } from './authoring/follow-draft-run';
import Statement from './Statement';

interface Props {
  /** The exercise's slug once it has one (the edit page); null on the new-exercise page until the first save. */
  slug: string | null;
  files: PackageFiles;
  /** The last validation, when it checked exactly these files. */
  validation: { checks: ValidationCheck[]; verdict: 'valid' | 'invalid' | null } | null;
  versions: number;
}

const AUTOSAVE_AFTER_MS = 800;
const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;


function readMetadata(files: PackageFiles): Metadata {
  try {
    const parsed: unknown = JSON.parse(files['exercise.json'] ?? '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Metadata) : {};
  } catch {
    return {};
  }
}

/** The first of `base.ts` / `base.js` the package has (TypeScript when neither). */
function sourcePath(files: PackageFiles, base: string): string {
  return files[`${base}.js`] !== undefined && files[`${base}.ts`] === undefined ? `${base}.js` : `${base}.ts`;
}

async function errorOf(response: Response | null): Promise<{ error: string; problems?: string[]; checks?: string[] }> {
  if (!response) return { error: 'The server cannot be reached; your work is still here. Try again in a moment.' };
  return (await response.json().catch(() => ({ error: `The server answered ${response.status}.` }))) as { error: string };
}

export default function ExerciseAuthoring({ slug: savedSlug, files: initialFiles, validation, versions }: Props) {
  const [files, setFilesState] = useState(initialFiles);
  // The files as last edited, even before React renders them: Validate clicked right after a paste saves the paste.
  const latestFiles = useRef(initialFiles);
  const setFiles = useCallback((update: SetStateAction<PackageFiles>) => {
    latestFiles.current = typeof update === 'function' ? update(latestFiles.current) : update;
    setFilesState(latestFiles.current);
  }, []);
  const [slug, setSlug] = useState(savedSlug ?? '');
  const [locked, setLocked] = useState(savedSlug !== null);
  // A new exercise's slug is taken once the author leaves its field, not at a pause in typing it.
  const [slugChosen, setSlugChosen] = useState(savedSlug !== null);
  const [saved, setSaved] = useState<'saved' | 'saving' | 'failed' | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [checks, setChecks] = useState<ValidationCheck[]>(validation?.checks ?? []);
  const [verdict, setVerdict] = useState<'valid' | 'invalid' | null>(validation?.verdict ?? null);
  const [validating, setValidating] = useState(false);
  const [notice, setNotice] = useState<{ text: string; details?: string[]; alert: boolean } | null>(null);
  const lastSaved = useRef<string | null>(savedSlug === null ? null : JSON.stringify(initialFiles));
  const stopFollowing = useRef<(() => void) | null>(null);
  const importInput = useRef<HTMLInputElement>(null);

  const metadata = readMetadata(files);
  const title = typeof metadata.title === 'string' ? metadata.title : '';
  const setFile = useCallback((path: string, content: string) => setFiles((current) => ({ ...current, [path]: content })), [setFiles]);
  const setMetadata = useCallback((next: Metadata) => setFile('exercise.json', `${JSON.stringify(next, null, 2)}\n`), [setFile]);

  /** Saves the files on screen unless they are saved already; false when the save failed. */
  const save = useCallback(async (): Promise<boolean> => {
    const current = latestFiles.current;
    const body = JSON.stringify(current);
    if (body === lastSaved.current) return true;
    if (!SLUG.test(slug)) {
      setSaveError('Give the exercise a slug (lowercase letters, digits and dashes) to save it.');
      return false;
    }
    setSaved('saving');
    const response = await fetch(`/api/exercises/${slug}/draft`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ files: current }) }).catch(() => null);
    if (!response?.ok) {
      setSaved('failed');
      setSaveError((await errorOf(response)).error);
      return false;
    }
    lastSaved.current = body;
    setSaved('saved');
    setSaveError(null);
    if (!locked) {
      // The slug names the exercise from its first save on; the address follows, so a reload finds it.
      setLocked(true);
      window.history.replaceState(null, '', `/instructor/exercises/${slug}/edit`);
    }
    return true;
  }, [slug, locked]);

  useEffect(() => {
    if (JSON.stringify(files) === lastSaved.current || !slugChosen || !SLUG.test(slug)) return;
    const timer = setTimeout(() => void save(), AUTOSAVE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [files, slug, slugChosen, save]);

  useEffect(() => () => stopFollowing.current?.(), []);

  const validate = useCallback(async () => {
    setNotice(null);
    if (!(await save())) return;
    setValidating(true);
    setChecks([]);
    setVerdict(null);
    const response = await fetch(`/api/exercises/${slug}/validate`, { method: 'POST' }).catch(() => null);
    if (!response?.ok) {
      setValidating(false);
      setNotice({ text: (await errorOf(response)).error, alert: true });
      return;
    }
    const { id } = (await response.json()) as { id: string };
    stopFollowing.current?.();
    stopFollowing.current = followDraftRun(id, {
      onOpen: () => setChecks([]),
      onCheck: (check) => setChecks((current) => [...current, check]),
      onEnd: (state, valid) => {
        setValidating(false);
        if (state === 'error') setChecks((current) => [...current, { ok: false, line: 'the validation could not finish (the platform failed); Validate again' }]);
        setVerdict(valid ? 'valid' : 'invalid');
      },
    });
  }, [save, slug]);

  const publish = useCallback(async () => {
    setNotice(null);
    if (!(await save())) return;
    const response = await fetch(`/api/exercises/${slug}/publish`, { method: 'POST' }).catch(() => null);
    if (response?.ok) {
      const { version } = (await response.json()) as { version: number };
      setNotice({ text: `Published as Version ${version}.`, alert: false });
      return;
    }
    const refusal = await errorOf(response);
    setNotice({ text: refusal.error, details: refusal.checks, alert: true });
  }, [save, slug]);

  const importZip = useCallback(async (file: File) => {
    setNotice(null);
    const target = SLUG.test(slug) ? `?slug=${slug}` : '';
    const response = await fetch(`/api/exercise-packages${target}`, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: file }).catch(() => null);
    if (!response?.ok) {
      const refusal = await errorOf(response);
      setNotice({ text: refusal.error, details: refusal.problems, alert: true });
      return;
    }
    const imported = (await response.json()) as { slug: string };
    window.location.assign(`/instructor/exercises/${imported.slug}/edit`);
  }, [slug]);

  const requirements = (Array.isArray(metadata.requirements) ? metadata.requirements : []) as RequirementEntry[];
  const wrong = (Array.isArray(metadata.wrong) ? metadata.wrong : []) as WrongEntry[];
  const starterPath = sourcePath(files, 'starter');
  const solutionPath = sourcePath(files, 'solution');
  const visiblePath = sourcePath(files, 'tests/visible');
  const hiddenPath = sourcePath(files, 'tests/hidden');
  const programs = [starterPath, solutionPath, ...wrong.map((entry) => entry.file)];

  return (
    <div className="flex flex-col gap-6">
      <div className="grid gap-3 md:grid-cols-2">
        <FormField label="Slug" value={slug} readOnly={locked} onChange={(event) => setSlug(event.target.value.trim())} onBlur={() => setSlugChosen(SLUG.test(slug))}
          hint={locked ? 'The exercise’s name in addresses; fixed once saved.' : 'Lowercase letters, digits and dashes; the draft saves from the moment you leave this field.'} />
        <FormField label="Title" value={title} onChange={(event) => setMetadata({ ...metadata, title: event.target.value })} />
      </div>

      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={secondaryButton} onClick={() => void validate()} disabled={validating}>Validate</button>
        <button type="button" className={primaryButton} onClick={() => void publish()}>Publish</button>
        <button type="button" className={secondaryButton} onClick={() => importInput.current?.click()}>Import</button>
        <input ref={importInput} type="file" accept=".zip,application/zip" className="hidden" aria-label="Package zip to import" onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void importZip(file);
        }} />
        {locked ? (
          <a className={secondaryButton} href={`/api/exercises/${slug}/export`} download>Export</a>
        ) : (
          <span className="text-sm text-zinc-600 dark:text-zinc-400">Export comes once the draft is saved.</span>
        )}
        <span className="text-xs text-zinc-600 dark:text-zinc-400" aria-live="off">
          {saved === 'saving' ? 'Saving draft…' : saved === 'saved' ? 'Draft saved' : saved === 'failed' ? 'Draft not saved' : ''}
          {versions > 0 ? ` · ${versions} published version${versions === 1 ? '' : 's'}` : ''}
        </span>
      </div>
      {saveError && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{saveError}</p>}
      {notice && (
        <div role={notice.alert ? 'alert' : 'status'} className={notice.alert ? 'text-sm text-red-700 dark:text-red-300' : 'font-medium text-emerald-700 dark:text-emerald-300'}>
          <p>{notice.text}</p>
          {notice.details && notice.details.length > 0 && (
            <ul className="mt-1 list-inside list-disc font-mono">{notice.details.map((line) => <li key={line}>{line}</li>)}</ul>
          )}
        </div>
      )}
      <ValidationPanel checks={checks} verdict={verdict} running={validating} />

      <section aria-label="Statement editor" className="grid gap-4 lg:grid-cols-2">
        <div className="flex min-w-0 flex-col gap-1">
          <h2 className="text-lg font-semibold">Statement</h2>
          <CodeEditor label="Statement" language="text" value={files['statement.md'] ?? ''} onChange={(text) => setFile('statement.md', text)} />
        </div>
        <section aria-label="Statement preview" className="min-w-0 rounded border border-zinc-200 p-4 dark:border-zinc-800">
          <p className="mb-2 text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Preview, as students see it</p>
          <h2 className="text-2xl font-semibold">{title}</h2>
          <Statement markdown={files['statement.md'] ?? ''} title={title} />
        </section>
      </section>

      <MetadataForm metadata={metadata} onChange={setMetadata} />

      <div className="grid gap-4 lg:grid-cols-2">
        <EditorBlock heading="Starter code" path={starterPath} files={files} onChange={setFile} />
        <EditorBlock heading="Reference solution" path={solutionPath} files={files} onChange={setFile} />
        <EditorBlock heading="Visible tests" path={visiblePath} files={files} onChange={setFile} file="tests" />
        <EditorBlock heading="Hidden tests" path={hiddenPath} files={files} onChange={setFile} file="tests" />
      </div>

      <Requirements entries={requirements} metadata={metadata} onMetadata={setMetadata} />

      <KnownWrongSolutions entries={wrong} requirementIds={requirements.map((requirement) => requirement.id)} files={files} starter={files[starterPath] ?? ''} metadata={metadata} onMetadata={setMetadata} onFiles={setFiles} />

      <TryAsStudent slug={locked ? slug : null} programs={programs} beforeRun={save} />
    </div>
  );
}

function EditorBlock({ heading, path, files, onChange, file = 'program' }: {
  heading: string;
  path: string;
  files: PackageFiles;
  onChange: (path: string, content: string) => void;
  /** Test files complete and check against the test harness; the others against `sys`. */
  file?: EditedFile;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <h2 className="text-lg font-semibold">{heading} <span className="font-mono text-sm font-normal text-zinc-600 dark:text-zinc-400">{path}</span></h2>
      <CodeEditor label={heading} value={files[path] ?? ''} onChange={(text) => onChange(path, text)} languageService="focus" file={file} />
    </div>
  );
}
