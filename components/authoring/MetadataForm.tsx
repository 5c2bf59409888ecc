'use client';

/**
 * exercise.json as a form: topics, difficulty, system-call groups, kernel settings, limits, hosts,
 * network faults and the programs the Run panel starts. Every change is written back to the JSON
 * and checked at once with the grader's own schema (grader/package.ts), whose problems are listed
 * by field.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { exerciseMetadataSchema } from '@/common/package';
import { GROUPS } from '@/kernel/types';
import { smallField } from './styles';

export type Metadata = Record<string, unknown>;

const KERNEL_SETTINGS: { key: string; label: string; allowsInf?: boolean }[] = [
  { key: 'pipeCapacity', label: 'Pipe capacity (bytes)' },
  { key: 'pipeBuf', label: 'PIPE_BUF (bytes)' },
  { key: 'linkCapacity', label: 'Link capacity (messages, or inf)', allowsInf: true },
  { key: 'mailboxCapacity', label: 'Mailbox capacity (messages, or inf)', allowsInf: true },
  { key: 'msgqueueCapacity', label: 'Message queue capacity' },
  { key: 'maxProcs', label: 'Most processes' },
  { key: 'maxSteps', label: 'Most steps per run' },
  { key: 'outputLimit', label: 'Output limit (bytes)' },
];


/** The schema's problems with the metadata, one line per field. */
export function metadataProblems(metadata: Metadata): string[] {
  const parsed = exerciseMetadataSchema.safeParse(metadata);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `exercise.json: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
}

function list(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter(Boolean);
}

/** A number field's value as the JSON wants it: absent when empty, `inf` kept where allowed, else a number. */
function numberOrAbsent(text: string, allowsInf = false): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (allowsInf && trimmed === 'inf') return 'inf';
  const value = Number(trimmed);
  return Number.isNaN(value) ? trimmed : value;
}

function withField(object: unknown, key: string, value: unknown): Metadata {
  const next = { ...((object as Metadata | undefined) ?? {}) };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-1 text-sm font-medium">
      {label}
      {children}
    </label>
  );
}

function NumberFields({ legend, group, fields, metadata, onChange }: {
  legend: string;
  group: string;
  fields: { key: string; label: string; allowsInf?: boolean }[];
  metadata: Metadata;
  onChange: (metadata: Metadata) => void;
}) {
  const values = (metadata[group] as Metadata | undefined) ?? {};
  return (
    <fieldset className="flex flex-col gap-2 rounded border border-zinc-200 p-3 dark:border-zinc-800">
      <legend className="px-1 text-sm font-semibold">{legend}</legend>
      <div className="grid grid-cols-2 gap-2 md:grid-cols-4">
        {fields.map(({ key, label, allowsInf }) => (
          <Field key={key} label={label}>
            <input
              className={smallField}
              inputMode={allowsInf ? 'text' : 'decimal'}
              value={values[key] === undefined ? '' : String(values[key])}
              onChange={(event) => onChange(withField(metadata, group, withField(values, key, numberOrAbsent(event.target.value, allowsInf))))}
            />
          </Field>
        ))}
      </div>
    </fieldset>
  );
}

function launchText(launch: unknown): string {
  return launch === undefined ? '' : typeof launch === 'string' ? launch : JSON.stringify(launch);
}

/** What the typed text puts in exercise.json: nothing when empty, the JSON when it parses, else the text (which the schema refuses). */
function launchOf(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The Run panel's programs as JSON text: kept as typed while it does not parse (the schema then
 * names the field), written to the metadata once it does; empty removes it (the first entry alone).
 */
function LaunchField({ metadata, set }: { metadata: Metadata; set: (key: string, value: unknown) => void }) {
  const [text, setText] = useState(() => launchText(metadata.launch));
  // An import replaces the metadata: show its launch, unless it is what the text already says.
  useEffect(() => {
    setText((current) => (JSON.stringify(launchOf(current)) === JSON.stringify(metadata.launch) ? current : launchText(metadata.launch)));
  }, [metadata.launch]);
  const change = (next: string) => {
    setText(next);
    set('launch', launchOf(next));
  };
  return (
    <Field label="Programs the Run panel starts (JSON; empty: the first entry alone)">
      <textarea className={`${smallField} font-mono`} rows={2} value={text} onChange={(event) => change(event.target.value)}
        placeholder='[{"entry": "producer", "argv": [1, 3]}, {"entry": "consumer", "argv": [3]}]' />
    </Field>
  );
}

export default function MetadataForm({ metadata, onChange }: { metadata: Metadata; onChange: (metadata: Metadata) => void }) {
  const groups = metadata.groups ?? 'all';
  const chosen = Array.isArray(groups) ? (groups as string[]) : [];
  const problems = metadataProblems(metadata);
  const set = (key: string, value: unknown) => onChange(withField(metadata, key, value));
  const toggleGroup = (group: string, on: boolean) => {
    const next = on ? [...chosen, group] : chosen.filter((name) => name !== group);
    set('groups', GROUPS.filter((name) => next.includes(name)));
  };
  return (
    <section aria-label="Metadata" className="flex flex-col gap-3">
      <h2 className="text-lg font-semibold">Metadata</h2>
      <div className="grid gap-3 md:grid-cols-3">
        <Field label="Topics (comma-separated)">
          <input className={smallField} value={Array.isArray(metadata.topics) ? (metadata.topics as string[]).join(', ') : ''} onChange={(event) => set('topics', list(event.target.value))} />
        </Field>
        <Field label="Difficulty">
          <select className={smallField} value={String(metadata.difficulty ?? 'easy')} onChange={(event) => set('difficulty', event.target.value)}>
            {['intro', 'easy', 'medium', 'hard'].map((level) => <option key={level}>{level}</option>)}
          </select>
        </Field>
        <Field label="Extra hosts (comma-separated IPv4)">
          <input className={smallField} value={Array.isArray(metadata.hosts) ? (metadata.hosts as string[]).join(', ') : ''} onChange={(event) => set('hosts', list(event.target.value))} />
        </Field>
      </div>
      <fieldset className="flex flex-col gap-2 rounded border border-zinc-200 p-3 dark:border-zinc-800">
        <legend className="px-1 text-sm font-semibold">System-call groups</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={groups === 'all'} onChange={(event) => set('groups', event.target.checked ? 'all' : [...GROUPS])} />
          All groups
        </label>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {GROUPS.map((group) => (
            <label key={group} className="flex items-center gap-1 font-mono text-sm">
              <input type="checkbox" disabled={groups === 'all'} checked={groups === 'all' || chosen.includes(group)} onChange={(event) => toggleGroup(group, event.target.checked)} />
              {group}
            </label>
          ))}
        </div>
      </fieldset>
      <NumberFields legend="Kernel settings" group="kernel" fields={KERNEL_SETTINGS} metadata={metadata} onChange={onChange} />
      <div className="grid gap-3 md:grid-cols-2">
        <NumberFields legend="Limits" group="limits" fields={[{ key: 'cpuMs', label: 'CPU per run (ms)' }, { key: 'memoryMb', label: 'Memory (MiB)' }]} metadata={metadata} onChange={onChange} />
        <NumberFields
          legend="Network faults (probabilities)"
          group="network"
          fields={[{ key: 'loss', label: 'Loss' }, { key: 'duplicate', label: 'Duplicate' }, { key: 'reorder', label: 'Reorder' }]}
          metadata={metadata}
          onChange={onChange}
        />
      </div>
      <LaunchField metadata={metadata} set={set} />
      {problems.length > 0 && (
        <ul aria-label="Metadata problems" className="list-inside list-disc text-sm text-red-700 dark:text-red-300">
          {problems.map((problem) => <li key={problem}>{problem}</li>)}
        </ul>
      )}
    </section>
  );
}
