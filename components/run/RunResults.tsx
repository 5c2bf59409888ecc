'use client';

/**
 * What a run in the Run panel shows: in step mode the threads that can run and the ways on, then
 * the findings (status first), the output, the process table and the sequence diagram. Loaded with
 * the panel's first run, so the exercise page's first load does not carry it.
 */
import type { RunRequest } from '@/grader/harness';
import type { RunResult } from '@/kernel/types';
import { formatValue, laneOf } from '@/lib/trace-diagram';
import TraceViewer from '../TraceViewer';
import type { BrowserRunReply, StepUntil } from './browser-kernel';
import { panelButton } from './styles';

/** A step-mode session: the run it steps, the decisions taken, and the schedule it may follow. */
export interface Stepping {
  run: RunRequest;
  decisions: string[];
  plan: string[] | null;
  title: string | null;
}


interface StepActions {
  stepping: Stepping;
  planned: string | undefined;
  pick(thread: string): void;
  undo(): void;
  runUntil(until: StepUntil): void;
  followPlan(): void;
  save(): void;
}

interface Props {
  code: string;
  reply: BrowserRunReply | null;
  /** The programs and settings that made `reply`, for its replay command. */
  run: RunRequest | null;
  /** Changes with every new run, so the trace viewer starts afresh instead of keeping its place. */
  runNumber: number;
  busy: boolean;
  steps: StepActions | null;
}

export default function RunResults({ code, reply, run, runNumber, busy, steps }: Props) {
  const result = reply?.result ?? null;
  const paused = reply?.paused ?? null;
  return (
    <>
      {steps && <StepControls {...steps} paused={paused} busy={busy} />}
      {result && (
        <>
          <Findings result={result} paused={paused} />
          <Output result={result} />
          {result.processes.length > 0 && <ProcessTable result={result} />}
          {result.trace && result.trace.length > 0 && (
            <TraceViewer key={runNumber} follow={steps !== null} code={code}
              counterexample={{ seed: result.seed, strategy: result.strategy, decisions: result.decisions, trace: result.trace, traceDropped: result.traceDropped, races: result.races, request: run ?? undefined }} />
          )}
        </>
      )}
    </>
  );
}

interface StepControlsProps extends StepActions {
  paused: BrowserRunReply['paused'];
  busy: boolean;
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
              <button type="button" className={panelButton} disabled={busy} onClick={() => pick(runnable.thread)} aria-keyshortcuts={index < 9 ? String(index + 1) : undefined}>
                {laneOf(runnable.thread).label}
              </button>
              <code className="font-mono text-xs">{`${runnable.call}(${runnable.args.map(formatValue).join(', ')})`}</code>
              {runnable.thread === planned && <span className="text-xs text-indigo-700 dark:text-indigo-300">the schedule runs this one next</span>}
            </li>
          ))}
        </ol>
      )}
      <div className="flex flex-wrap gap-2">
        {stepping.plan && <button type="button" className={panelButton} disabled={busy || !planned} onClick={followPlan}>Next in schedule</button>}
        <button type="button" className={panelButton} disabled={busy || stepping.decisions.length === 0} onClick={undo}>Undo</button>
        <button type="button" className={panelButton} disabled={busy || !paused} onClick={() => runUntil('block')}>Run to next block</button>
        <button type="button" className={panelButton} disabled={busy || !paused} onClick={() => runUntil('finding')}>Run to next finding</button>
        <button type="button" className={panelButton} disabled={busy || !paused} onClick={() => runUntil('end')}>Run to end</button>
        <button type="button" className={panelButton} disabled={busy || stepping.decisions.length === 0} onClick={save}>Save schedule</button>
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
