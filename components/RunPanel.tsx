'use client';

/**
 * The Run panel of web.md: the editor's code on the kernel in this browser (a Web Worker), with
 * arguments, stdin and a schedule; or in step mode, where the student is the scheduler: every
 * scheduling point waits for them to pick the thread that runs next.
 */
import { useCallback, useEffect, useState } from 'react';
import type { RunRequest } from '@/grader/harness';
import type { RunResult, Strategy } from '@/kernel/types';
import { formatValue, laneOf } from '@/lib/trace-diagram';
import type { BrowserRunReply, StepUntil } from './run/browser-kernel';
import { runInWorker, warmUpKernel } from './run/kernel-client';
import TraceViewer from './TraceViewer';

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

/** A step-mode session: the run it steps, the decisions taken, and the schedule it may follow. */
interface Stepping {
  run: RunRequest;
  decisions: string[];
  plan: string[] | null;
  title: string | null;
}

interface SavedSchedule {
  name: string;
  run: RunRequest;
  decisions: string[];
}

const field = 'rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900';
const button = 'rounded border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800';
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

  useEffect(() => setSaved(loadSaved(slug)), [slug]);

  const ask = useCallback(async (run: RunRequest, until?: StepUntil): Promise<BrowserRunReply | null> => {
    setBusy(true);
    setFailure(null);
    try {
      return await runInWorker({ source: code, fileName: 'solution.ts', run, cpuMs, until });
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

  /** Replays `decisions` from the start and goes on as `until` says: every step, undo included, is a fresh deterministic run. */
  const stepTo = useCallback(async (session: Stepping, decisions: string[], until: StepUntil) => {
    const answer = await ask({ ...session.run, settings: { ...session.run.settings, trace: true, schedule: 'replay', decisions } }, until);
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

  const result = reply?.result ?? null;
  return (
    <section aria-labelledby="run-panel-heading" className="flex flex-col gap-3 rounded border border-zinc-200 p-3 dark:border-zinc-800" onFocus={warmUpKernel} onPointerEnter={warmUpKernel}>
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
        <button type="button" className={button} disabled={busy} onClick={() => void startStepping(runFromFields(exercise, argumentsText, stdin), null, null)}>Step mode</button>
        {reply && <span className="text-xs text-zinc-600 dark:text-zinc-400">{`${reply.ms < 10 ? reply.ms.toFixed(1) : Math.round(reply.ms)} ms in this browser`}</span>}
      </div>
      {failure && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{failure}</p>}

      {stepping && (
        <StepControls stepping={stepping} paused={paused} planned={planned} busy={busy} pick={pick}
          undo={() => void stepTo(stepping, stepping.decisions.slice(0, -1), 'next')}
          runUntil={(until) => void stepTo(stepping, stepping.decisions, until)}
          followPlan={() => planned && pick(planned)}
          save={saveSchedule} />
      )}
      {saved.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer">Saved schedules ({saved.length})</summary>
          <ul className="mt-1 flex flex-col gap-1">
            {saved.map((schedule, index) => (
              <li key={`${schedule.name}-${index}`} className="flex items-center gap-2">
                <button type="button" className={button} disabled={busy} onClick={() => void startStepping(schedule.run, schedule.decisions, `saved schedule ${index + 1}`)}>
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

      {result && (
        <>
          <Findings result={result} paused={paused} />
          <Output result={result} />
          {result.processes.length > 0 && <ProcessTable result={result} />}
          {result.trace && result.trace.length > 0 && (
            <TraceViewer key={runNumber} follow={stepping !== null} code={code}
              counterexample={{ seed: result.seed, strategy: result.strategy, decisions: result.decisions, trace: result.trace, traceDropped: result.traceDropped, races: result.races }} />
          )}
        </>
      )}
    </section>
  );
}

interface StepControlsProps {
  stepping: Stepping;
  paused: BrowserRunReply['paused'];
  planned: string | undefined;
  busy: boolean;
  pick(thread: string): void;
  undo(): void;
  runUntil(until: StepUntil): void;
  followPlan(): void;
  save(): void;
}

/** The threads that can run at this scheduling point, each with the call it is about to make, and the ways on. */
function StepControls({ stepping, paused, planned, busy, pick, undo, runUntil, followPlan, save }: StepControlsProps) {
  return (
    <div className="flex flex-col gap-2 rounded border border-indigo-200 bg-indigo-50/50 p-2 dark:border-indigo-900 dark:bg-indigo-950/40">
      <p className="text-sm font-medium">
        {stepping.title ? `Replaying ${stepping.title}. ` : ''}
        {paused ? `Step ${stepping.decisions.length + 1}: pick the thread that runs next (keys 1–${Math.min(9, paused.length)}).` : `The run is over after ${stepping.decisions.length} steps.`}
      </p>
      {paused && (
        <ol aria-label="Runnable threads" className="flex flex-col gap-1">
          {paused.map((runnable, index) => (
            <li key={runnable.thread} className="flex flex-wrap items-center gap-2 text-sm">
              <span aria-hidden="true" className="w-4 text-right text-xs text-zinc-500">{index < 9 ? index + 1 : ''}</span>
              <button type="button" className={button} disabled={busy} onClick={() => pick(runnable.thread)} aria-keyshortcuts={index < 9 ? String(index + 1) : undefined}>
                {laneOf(runnable.thread).label}
              </button>
              <code className="font-mono text-xs">{`${runnable.call}(${runnable.args.map(formatValue).join(', ')})`}</code>
              {runnable.thread === planned && <span className="text-xs text-indigo-700 dark:text-indigo-300">the schedule runs this one next</span>}
            </li>
          ))}
        </ol>
      )}
      <div className="flex flex-wrap gap-2">
        {stepping.plan && <button type="button" className={button} disabled={busy || !planned} onClick={followPlan}>Next in schedule</button>}
        <button type="button" className={button} disabled={busy || stepping.decisions.length === 0} onClick={undo}>Undo</button>
        <button type="button" className={button} disabled={busy || !paused} onClick={() => runUntil('block')}>Run to next block</button>
        <button type="button" className={button} disabled={busy || !paused} onClick={() => runUntil('finding')}>Run to next finding</button>
        <button type="button" className={button} disabled={busy || !paused} onClick={() => runUntil('end')}>Run to end</button>
        <button type="button" className={button} disabled={busy || stepping.decisions.length === 0} onClick={save}>Save schedule</button>
      </div>
    </div>
  );
}

function pidLabel(pid: number, host?: string): string {
  return `pid ${pid}${host ? ` on ${host}` : ''}`;
}

/** The run's status first (web.md), then what went wrong in it: deadlock, races, zombies, what was left open. */
function Findings({ result, paused }: { result: RunResult; paused: BrowserRunReply['paused'] }) {
  const lines: string[] = [];
  if (!paused && result.message) lines.push(result.message);
  for (const race of result.races) {
    lines.push(`Data race on shared memory segment ${race.segment}, cell ${race.index}: ${race.accesses.map((access) => `${access.op} by pid ${access.pid} at step ${access.step}`).join(' and ')}.`);
  }
  if (!paused) {
    if (result.zombies.length > 0) lines.push(`Zombies (children nobody waited for): ${result.zombies.map((pid) => `pid ${pid}`).join(', ')}.`);
    for (const open of result.openFds) lines.push(`${pidLabel(open.pid, open.host)} exited with fd ${open.fd} (${open.kind}) still open.`);
    for (const leak of result.shmLeaks.attachedAtExit) lines.push(`${pidLabel(leak.pid, leak.host)} exited with shared memory segment ${leak.segment} still attached.`);
    for (const leak of result.shmLeaks.notRemoved) lines.push(`Shared memory segment ${leak.segment} was never removed.`);
  }
  const tone = paused ? 'border-indigo-200 dark:border-indigo-900' : result.status === 'ok' && lines.length === 0 ? 'border-emerald-300 dark:border-emerald-800' : 'border-red-300 dark:border-red-800';
  return (
    <section role="region" aria-label="Findings" aria-live="polite" className={`rounded border px-3 py-2 text-sm ${tone}`}>
      <p className="font-semibold">
        {paused ? `stepping: ${result.steps} steps taken, ${paused.length} thread${paused.length === 1 ? '' : 's'} can run` : `${result.status}: ${result.steps} steps, ${result.simTimeMs} ms of simulated time`}
      </p>
      {lines.length > 0 && <ul className="mt-1 list-disc pl-5">{lines.map((line, index) => <li key={index}>{line}</li>)}</ul>}
    </section>
  );
}

/** Combined stdout, stderr under its own heading, console.log lines apart. */
function Output({ result }: { result: RunResult }) {
  const pre = 'max-h-48 overflow-auto whitespace-pre-wrap rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-900';
  return (
    <section role="region" aria-label="Output" className="flex flex-col gap-1 text-sm">
      <h3 className="font-medium">Output</h3>
      <pre className={pre}>{result.stdout || '(nothing on stdout)'}</pre>
      {result.stderr && (
        <>
          <h3 className="font-medium">stderr</h3>
          <pre className={pre}>{result.stderr}</pre>
        </>
      )}
      {result.debugLog && (
        <>
          <h3 className="font-medium">console.log</h3>
          <pre className={pre}>{result.debugLog}</pre>
        </>
      )}
    </section>
  );
}

function ProcessTable({ result }: { result: RunResult }) {
  const ended = (status: number | null, signal: string | null) => (signal ? `killed by ${signal}` : status === null ? 'running' : `exit ${status}`);
  return (
    <table aria-label="Processes" className="w-full text-left text-sm">
      <thead>
        <tr className="border-b border-zinc-200 dark:border-zinc-800">
          <th className="py-1 font-medium">Process</th><th className="font-medium">Parent</th><th className="font-medium">State</th><th className="font-medium">Output</th>
        </tr>
      </thead>
      <tbody>
        {result.processes.map((proc) => (
          <tr key={`${proc.host}:${proc.pid}`} className="border-b border-zinc-100 dark:border-zinc-900">
            <td className="py-1">{pidLabel(proc.pid, result.processes[0]?.host === proc.host ? undefined : proc.host)}</td>
            <td>pid {proc.ppid}</td>
            <td>{ended(proc.status, proc.signal)}</td>
            <td className="max-w-48 truncate font-mono text-xs">{proc.stdout}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
