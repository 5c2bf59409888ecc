'use client';

/**
 * The Run panel of web.md: the editor's code on the kernel in this browser (a Web Worker), with
 * arguments, stdin and a schedule; or in step mode, where the student is the scheduler: every
 * scheduling point waits for them to pick the thread that runs next.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { RunRequest } from '@/grader/harness';
import type { Strategy } from '@/kernel/types';
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
  /** The exercise's programs and kernel settings, which every run here starts from. */
  exercise: RunRequest;
  cpuMs: number;
  /** Names the saved schedules of this exercise. */
  slug: string;
  replay?: StepReplay | null;
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

/** The panel's fields as the exercise's run: the first program gets the arguments and stdin. */
function runFromFields(exercise: RunRequest, argumentsText: string, stdin: string): RunRequest {
  const argv = argumentsText.split(/\s+/).filter((word) => word !== '');
  const programs = exercise.programs.length > 0 ? exercise.programs : [{}];
  return { settings: { ...exercise.settings, trace: true }, programs: programs.map((program, index) => (index === 0 ? { ...program, argv, stdin } : program)) };
}

export default function RunPanel({ code, exercise, cpuMs, slug, replay }: Props) {
  const [argumentsText, setArgumentsText] = useState('');
  const [stdin, setStdin] = useState('');
  const [schedule, setSchedule] = useState<Schedule>('rr');
  const [seed, setSeed] = useState('1');
  const [reply, setReply] = useState<BrowserRunReply | null>(null);
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

  const runOnce = async () => {
    const fields = runFromFields(exercise, argumentsText, stdin);
    const answer = await ask({ ...fields, settings: { ...fields.settings, schedule, seed: Number(seed) || 1 } });
    setStepping(null);
    setRunNumber((n) => n + 1);
    setReply(answer);
  };

  /**
   * Replays `decisions` from the start and goes on as `until` says, counting from step `from` (by
   * default where the decisions end): every step, undo included, is a fresh deterministic run.
   */
  const stepTo = useCallback(async (session: Stepping, decisions: string[], until: StepUntil, from?: number) => {
    const answer = await ask({ ...session.run, settings: { ...session.run.settings, trace: true, schedule: 'replay', decisions } }, until, from);
    if (!answer) return;
    setReply(answer);
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
    const first = replay.run.programs[0];
    setArgumentsText((first?.argv ?? []).map(String).join(' '));
    setStdin(first?.stdin ?? '');
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
      <div className="grid gap-2 sm:grid-cols-[1fr_1fr]">
        <label className="flex flex-col gap-1 text-sm">Arguments
          <input className={field} value={argumentsText} onChange={(event) => setArgumentsText(event.target.value)} placeholder="space-separated" />
        </label>
        <label className="flex flex-col gap-1 text-sm">Stdin
          <textarea className={field} rows={1} value={stdin} onChange={(event) => setStdin(event.target.value)} />
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
        <button type="button" className={panelButton} disabled={busy} onClick={() => void startStepping(runFromFields(exercise, argumentsText, stdin), null, null)}>Step mode</button>
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
          <RunResults code={code} reply={reply} runNumber={runNumber} busy={busy}
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

