'use client';

/**
 * The Run panel of web.md: the editor's code on the kernel in this browser (a Web Worker), with
 * arguments, stdin and a schedule, as the programs the exercise launches (each an export on a host,
 * and any the student adds); or in step mode, where the student is the scheduler: every
 * scheduling point waits for them to pick the thread that runs next.
 */
import { lazy, Suspense, useCallback, useEffect, useId, useState } from 'react';
import type { ProgramLaunch, RunRequest } from '@/grader/harness';
import { FIRST_HOST, type Strategy } from '@/kernel/types';
import type { BrowserRun } from '@/lib/assignments';
import type { BrowserRunReply, StepUntil } from './run/browser-kernel';
import { runInWorker, warmUpKernel } from './run/kernel-client';
import type { Stepping } from './run/RunResults';
import { panelButton } from './run/styles';

// What a run shows (findings, output, processes, the diagram) loads with the first run, not with the page.
const loadResults = () => import('./run/RunResults');
const RunResults = lazy(loadResults);


/** A run to open in step mode from elsewhere on the page (a failed test's counterexample), at its first step. */
export interface StepReplay {
  /** The failing run's programs and settings. */
  run: RunRequest;
  /** The schedule's decisions, offered one step at a time. */
  decisions: string[];
  /** What the panel says it replays. */
  title: string;
}

interface Props {
  code: string;
  /** The exercise's launch and kernel settings, which every run here starts from, with its exports and hosts. */
  browserRun: BrowserRun;
  /** Names the saved schedules of this exercise. */
  slug: string;
  replay?: StepReplay | null;
}

/** One process a run here starts: which export, on which host, with the arguments as typed. */
interface ProgramRow {
  entry: string;
  host: string;
  argumentsText: string;
  stdin: string;
}

type Schedule = Exclude<Strategy, 'replay'>;

interface SavedSchedule {
  name: string;
  run: RunRequest;
  decisions: string[];
}

const field = 'rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900';
const primary = 'rounded bg-emerald-700 px-4 py-1.5 text-sm font-medium text-white hover:bg-emerald-800 disabled:opacity-60';

function savedKey(slug: string): string {
  return `rendezvous:schedules:${slug}`;
}

function loadSaved(slug: string): SavedSchedule[] {
  try {
    const saved = JSON.parse(localStorage.getItem(savedKey(slug)) ?? '[]') as unknown;
    return Array.isArray(saved) ? (saved as SavedSchedule[]) : [];
  } catch {
    return [];
  }
}

/** argv as the panel shows it: plain words separated by spaces, else the JSON array (numbers, nested lists, words with spaces). */
function argumentsTextOf(argv: readonly unknown[] | undefined): string {
  const values = argv ?? [];
  const plainWords = values.every((value) => typeof value === 'string' && /^[^\s[][^\s]*$/.test(value));
  return plainWords ? values.join(' ') : JSON.stringify(values);
}

/** argv as the student typed it: a JSON array when it starts with '[', else words separated by spaces (each a string, as on the command line). */
function parseArguments(text: string, label: string): unknown[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return trimmed.split(/\s+/).filter((word) => word !== '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed)) throw new Error(`${label} start with [ but are not a JSON array: write words separated by spaces, or an array such as [1, "two words"].`);
  return parsed;
}

function argumentsLabel(index: number): string {
  return index === 0 ? 'Arguments' : `Arguments of program ${index + 1}`;
}

/** `rows` with row `index` changed as `change` says. */
function withRow(rows: readonly ProgramRow[], index: number, change: Partial<ProgramRow>): ProgramRow[] {
  return rows.map((row, i) => (i === index ? { ...row, ...change } : row));
}

function rowsOf(programs: readonly ProgramLaunch[], entries: readonly string[]): ProgramRow[] {
  const launches = programs.length > 0 ? programs : [{}];
  return launches.map((program) => ({
    entry: program.entry ?? entries[0] ?? 'default', host: program.host ?? FIRST_HOST, argumentsText: argumentsTextOf(program.argv), stdin: program.stdin ?? '',
  }));
}

/** The panel's fields as a run of the exercise; throws, with a sentence naming the field, when arguments are not readable. */
function runFromFields(exercise: RunRequest, rows: readonly ProgramRow[]): RunRequest {
  const programs = rows.map((row, index): ProgramLaunch => ({
    entry: row.entry,
    ...(row.host === FIRST_HOST ? {} : { host: row.host }),
    argv: parseArguments(row.argumentsText, argumentsLabel(index)),
    stdin: row.stdin,
  }));
  return { settings: { ...exercise.settings, trace: true }, programs };
}

export default function RunPanel({ code, browserRun, slug, replay }: Props) {
  const { run: exercise, cpuMs, entries, hosts } = browserRun;
  const [rows, setRows] = useState<ProgramRow[]>(() => rowsOf(exercise.programs, entries));
  const [schedule, setSchedule] = useState<Schedule>('rr');
  const [seed, setSeed] = useState('1');
  const [reply, setReply] = useState<BrowserRunReply | null>(null);
  /** The programs and settings of the run shown: what its replay command starts. */
  const [replyRun, setReplyRun] = useState<RunRequest | null>(null);
  const [stepping, setStepping] = useState<Stepping | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedSchedule[]>([]);
  /** Bumped by every new run, so the trace viewer starts afresh instead of keeping its place. */
  const [runNumber, setRunNumber] = useState(0);
  const [kernel, setKernel] = useState<'idle' | 'loading' | 'ready'>('idle');

  /** Starts the worker and fetches the results' code as the student comes to the panel. */
  const prepare = useCallback(() => {
    if (kernel !== 'idle') return;
    setKernel('loading');
    void loadResults();
    warmUpKernel().then(() => setKernel('ready'), () => setKernel('idle'));
  }, [kernel]);

  useEffect(() => setSaved(loadSaved(slug)), [slug]);

  const ask = useCallback(async (run: RunRequest, until?: StepUntil, from?: number): Promise<BrowserRunReply | null> => {
    setBusy(true);
    setFailure(null);
    try {
      return await runInWorker({ source: code, fileName: 'solution.ts', run, cpuMs, until, from });
    } catch (error) {
      setFailure(`The run could not start in this browser: ${(error as Error).message}`);
      return null;
    } finally {
      setBusy(false);
    }
  }, [code, cpuMs]);

  /** The fields as a run, or null after saying what cannot be read. */
  const fieldsRun = (): RunRequest | null => {
    try {
      return runFromFields(exercise, rows);
    } catch (error) {
      setFailure((error as Error).message);
      return null;
    }
  };

  const runOnce = async () => {
    const fields = fieldsRun();
    if (!fields) return;
    const answer = await ask({ ...fields, settings: { ...fields.settings, schedule, seed: Number(seed) || 1 } });
    setStepping(null);
    setRunNumber((n) => n + 1);
    setReply(answer);
    setReplyRun(fields);
  };

  /**
   * Replays `decisions` from the start and goes on as `until` says, counting from step `from` (by
   * default where the decisions end): every step, undo included, is a fresh deterministic run.
   */
  const stepTo = useCallback(async (session: Stepping, decisions: string[], until: StepUntil, from?: number) => {
    const answer = await ask({ ...session.run, settings: { ...session.run.settings, trace: true, schedule: 'replay', decisions } }, until, from);
    if (!answer) return;
    setReply(answer);
    setReplyRun(session.run);
    setStepping({ ...session, decisions: answer.result.decisions });
  }, [ask]);

  const startStepping = useCallback(async (run: RunRequest, schedule: string[] | null, title: string | null) => {
    setReply(null);
    setRunNumber((n) => n + 1);
    // A stored schedule keeps only the decisions that matter (round robin goes on past them): its whole run, once, gives every step to follow.
    const whole = schedule && (await ask({ ...run, settings: { ...run.settings, schedule: 'replay', decisions: schedule } }, 'end'));
    await stepTo({ run, decisions: [], plan: whole ? whole.result.decisions : null, title }, [], 'next');
  }, [ask, stepTo]);

  useEffect(() => {
    if (!replay) return;
    setRows(rowsOf(replay.run.programs, entries));
    void startStepping(replay.run, replay.decisions, replay.title);
    // A new replay object is a new request to open it; the rest of the panel's state does not restart it.
  }, [replay]);

  /** On to the next block, finding or the end: along a counterexample's schedule while the student has kept to it, else round robin. */
  const runUntil = useCallback((session: Stepping, until: StepUntil) => {
    const { plan, decisions } = session;
    const onPlan = plan !== null && decisions.every((decision, index) => decision === plan[index]);
    void stepTo(session, onPlan ? plan : decisions, until, decisions.length);
  }, [stepTo]);

  const paused = reply?.paused ?? null;
  const planned = stepping?.plan && paused ? stepping.plan[stepping.decisions.length] : undefined;
  const pick = useCallback((thread: string) => {
    if (stepping && !busy) void stepTo(stepping, [...stepping.decisions, thread], 'next');
  }, [stepping, busy, stepTo]);

  // Keys 1–9 pick a runnable thread, unless the student is typing.
  useEffect(() => {
    if (!paused) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.ctrlKey || event.metaKey || event.altKey || target?.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target?.tagName ?? '')) return;
      const index = Number(event.key) - 1;
      if (Number.isInteger(index) && index >= 0 && index < Math.min(9, paused.length)) {
        event.preventDefault();
        pick(paused[index].thread);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [paused, pick]);

  // An exercise of several exports, or of several hosts, lets the student choose what each program runs, and where.
  const several = entries.length > 1 || hosts.length > 1 || rows.length > 1;
  const setRow = (index: number, change: Partial<ProgramRow>) => setRows((current) => withRow(current, index, change));

  const saveSchedule = () => {
    if (!stepping || !reply) return;
    const schedule: SavedSchedule = { name: `${reply.paused ? `step ${stepping.decisions.length}` : reply.result.status}, ${new Date().toLocaleString('en-GB')}`, run: stepping.run, decisions: stepping.decisions };
    const next = [...saved, schedule];
    localStorage.setItem(savedKey(slug), JSON.stringify(next));
    setSaved(next);
  };

  return (
    <section aria-labelledby="run-panel-heading" className="flex flex-col gap-3 rounded border border-zinc-200 p-3 dark:border-zinc-800" onFocus={prepare} onPointerEnter={prepare}>
      <h2 id="run-panel-heading" className="text-lg font-semibold">Run in your browser</h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Runs the code in the editor on the simulated kernel, here on your machine: nothing is graded or sent.</p>
      {several && <ProgramRows rows={rows} entries={entries} hosts={hosts} onChange={setRows} />}
      <div className="grid gap-2 sm:grid-cols-[1fr_1fr]">
        {!several && (
          <label className="flex flex-col gap-1 text-sm">Arguments
            <input className={field} value={rows[0].argumentsText} onChange={(event) => setRow(0, { argumentsText: event.target.value })} placeholder="space-separated" />
          </label>
        )}
        <label className="flex flex-col gap-1 text-sm">Stdin
          <textarea className={field} rows={1} value={rows[0].stdin} onChange={(event) => setRow(0, { stdin: event.target.value })} />
        </label>
        <label className="flex flex-col gap-1 text-sm">Schedule
          <select className={field} value={schedule} onChange={(event) => setSchedule(event.target.value as Schedule)}>
            <option value="rr">rr</option>
            <option value="random">random</option>
            <option value="pct">pct</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">Seed
          <input className={field} type="number" min={1} value={seed} onChange={(event) => setSeed(event.target.value)} />
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={primary} disabled={busy} onClick={() => void runOnce()}>Run</button>
        <button type="button" className={panelButton} disabled={busy} onClick={() => {
          const fields = fieldsRun();
          if (fields) void startStepping(fields, null, null);
        }}>Step mode</button>
        <span className="text-xs text-zinc-600 dark:text-zinc-400">
          {reply ? `${reply.ms < 10 ? reply.ms.toFixed(1) : Math.round(reply.ms)} ms in this browser` : kernel === 'loading' ? 'Loading the kernel…' : kernel === 'ready' ? 'Kernel ready' : ''}
        </span>
      </div>
      {failure && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{failure}</p>}

      {saved.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer">Saved schedules ({saved.length})</summary>
          <ul className="mt-1 flex flex-col gap-1">
            {saved.map((schedule, index) => (
              <li key={`${schedule.name}-${index}`} className="flex items-center gap-2">
                <button type="button" className={panelButton} disabled={busy} onClick={() => void startStepping(schedule.run, schedule.decisions, `saved schedule ${index + 1}`)}>
                  Replay schedule {index + 1}
                </button>
                <span>{schedule.name} ({schedule.decisions.length} steps)</span>
                <a download={`${slug}-schedule-${index + 1}.json`} href={`data:application/json,${encodeURIComponent(JSON.stringify(schedule.decisions))}`}
                  className="text-indigo-700 underline dark:text-indigo-300" title="rendezvous run program.ts --replay FILE">
                  Download for the command line
                </a>
              </li>
            ))}
          </ul>
        </details>
      )}

      {(stepping || reply) && (
        <Suspense fallback={<p className="text-sm">Loading…</p>}>
          <RunResults code={code} reply={reply} run={replyRun} runNumber={runNumber} busy={busy}
            steps={stepping && {
              stepping, planned, pick,
              undo: () => void stepTo(stepping, stepping.decisions.slice(0, -1), 'next'),
              runUntil: (until) => runUntil(stepping, until),
              followPlan: () => planned && pick(planned),
              save: saveSchedule,
            }} />
        </Suspense>
      )}
    </section>
  );
}


/** The processes a run starts, one row each: the export it runs, its host, its arguments; rows can be added and removed. */
function ProgramRows({ rows, entries, hosts, onChange }: { rows: ProgramRow[]; entries: string[]; hosts: string[]; onChange: (rows: ProgramRow[]) => void }) {
  // Labels point at their controls rather than wrap them: a select inside its label would add its chosen option to its name.
  const id = useId();
  const update = (index: number, change: Partial<ProgramRow>) => onChange(withRow(rows, index, change));
  return (
    <fieldset className="flex flex-col gap-2 text-sm">
      <legend className="mb-1 font-medium">Programs this run starts, in order</legend>
      {rows.map((row, index) => (
        <div key={index} className="grid items-end gap-2 sm:grid-cols-[auto_auto_1fr_auto]">
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-entry-${index}`}>Program {index + 1}</label>
            <select id={`${id}-entry-${index}`} className={field} value={row.entry} onChange={(event) => update(index, { entry: event.target.value })}>
              {entries.map((entry) => <option key={entry} value={entry}>{entry}</option>)}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-host-${index}`}>Host of program {index + 1}</label>
            <select id={`${id}-host-${index}`} className={field} value={row.host} onChange={(event) => update(index, { host: event.target.value })} disabled={hosts.length < 2}>
              {hosts.map((host) => <option key={host} value={host}>{host}</option>)}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-argv-${index}`}>{argumentsLabel(index)}</label>
            <input id={`${id}-argv-${index}`} className={field} value={row.argumentsText} onChange={(event) => update(index, { argumentsText: event.target.value })}
              placeholder="space-separated, or a JSON array" />
          </div>
          {index > 0
            ? <button type="button" className={panelButton} onClick={() => onChange(rows.filter((_, i) => i !== index))}>Remove program {index + 1}</button>
            : <span />}
        </div>
      ))}
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={panelButton}
          onClick={() => onChange([...rows, ...rowsOf([{}], entries)])}>
          Add program
        </button>
        <span className="text-xs text-zinc-600 dark:text-zinc-400">Stdin below goes to program 1.</span>
      </div>
    </fieldset>
  );
}
