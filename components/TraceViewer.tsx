'use client';

import { useMemo, useState, type KeyboardEvent } from 'react';
import type { Counterexample } from '@/grader/harness';
import { callSites, layoutTrace, type DiagramStep, type RaceMark, type TraceDiagram } from '@/lib/trace-diagram';
import ReplayCommand from './trace/ReplayCommand';
import SequenceDiagram from './trace/SequenceDiagram';
import SourceLines from './trace/SourceLines';
import WholeTrace from './trace/WholeTrace';

interface Props {
  /** A failed test's counterexample, as the grader stored it. */
  counterexample: Counterexample;
  /** The submission's code, shown read-only beside the steps. */
  code: string;
  /** Where the trace came from, so a trimmed one can be rebuilt whole. */
  source?: { submissionId: string; test: string };
  /** A run that grows as it is stepped (the Run panel): show its latest step whenever steps are added or undone. */
  follow?: boolean;
}

/** Steps the kernel takes on a thread's behalf, which no line of code makes. */
const KERNEL_STEP: Partial<Record<DiagramStep['kind'], string>> = {
  start: 'the thread starts running here',
  handler: 'a signal handler starts here',
  signal: 'a signal ends the thread here',
};

const button = 'rounded border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 aria-disabled:cursor-default aria-disabled:opacity-40 aria-disabled:hover:bg-transparent dark:border-zinc-700 dark:hover:bg-zinc-800';
const jump = 'rounded px-1 font-mono text-indigo-700 underline hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950';

/**
 * The failing run of a test as a sequence diagram, stepped through one
 * scheduling decision at a time (buttons, or ← and → while it has focus).
 */
export default function TraceViewer({ counterexample: stored, code, source, follow = false }: Props) {
  const [whole, setWhole] = useState<Counterexample | null>(null);
  const counterexample = whole ?? stored;
  const diagram = useMemo(() => layoutTrace(counterexample), [counterexample]);
  const last = diagram.steps.length - 1;
  const [cursor, setCursor] = useState(follow ? Math.max(0, last) : 0);
  const [stepsSeen, setStepsSeen] = useState(diagram.steps.length);
  if (follow && stepsSeen !== diagram.steps.length) {
    setStepsSeen(diagram.steps.length);
    setCursor(Math.max(0, last));
    // React renders again at once with the new cursor; this render's old one may point past an undone step.
    return null;
  }
  const go = (row: number) => setCursor(Math.max(0, Math.min(last, row)));

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const moves: Record<string, number> = { ArrowLeft: cursor - 1, ArrowRight: cursor + 1, Home: 0, End: last };
    if (!(event.key in moves) || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    go(moves[event.key]);
  };

  if (diagram.steps.length === 0) {
    return (
      <section role="region" aria-label="Trace" className="rounded border border-zinc-200 p-3 text-sm dark:border-zinc-800">
        This run left no trace to show.
      </section>
    );
  }

  const step = diagram.steps[cursor];
  const sites = callSites(code, step);
  return (
    <section role="region" aria-label="Trace" onKeyDown={onKeyDown} className="flex min-w-0 flex-col gap-3">
      {counterexample.traceDropped > 0 && (
        <p className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          This run was long: the kernel keeps only the end of a trace, so its first {counterexample.traceDropped.toLocaleString('en')} trace entries are not shown; the steps below lead up to the failure.
        </p>
      )}
      {source && counterexample.traceTrimmed ? (
        <WholeTrace {...source} counterexample={counterexample} onLoaded={(loaded) => { setWhole(loaded); setCursor(0); }} />
      ) : null}
      <Findings diagram={diagram} go={go} />

      <div className="flex flex-wrap items-center gap-2">
        {/* aria-disabled, not disabled: a button that becomes disabled drops the keyboard focus, and ← → with it. */}
        <button type="button" className={button} onClick={() => go(cursor - 1)} aria-disabled={cursor === 0} aria-keyshortcuts="ArrowLeft">
          Previous step
        </button>
        <button type="button" className={button} onClick={() => go(cursor + 1)} aria-disabled={cursor === last} aria-keyshortcuts="ArrowRight">
          Next step
        </button>
        <span className="text-sm tabular-nums text-zinc-600 dark:text-zinc-300">
          Step {cursor + 1} of {diagram.steps.length}
        </span>
        <span className="hidden text-xs text-zinc-500 sm:inline dark:text-zinc-400">← → move through the steps</span>
      </div>

      <SequenceDiagram diagram={diagram} cursor={cursor} onSelect={go} />
      <Legend diagram={diagram} />

      <div className="grid gap-3 lg:grid-cols-2">
        <StepDetails diagram={diagram} row={cursor} />
        <div className="flex min-w-0 flex-col gap-1">
          <p className="truncate text-sm text-zinc-700 dark:text-zinc-300">
            {sites.length > 0
              ? `Your code: ${step.call} is called on line${sites.length > 1 ? 's' : ''} ${sites.join(', ')}.`
              : `Your code: ${KERNEL_STEP[step.kind] ?? `no line calls ${step.call} directly`}.`}
          </p>
          <SourceLines code={code} marked={sites} label="Code of the submission" />
        </div>
      </div>

      <ReplayCommand counterexample={counterexample} code={code} />
    </section>
  );
}

/** The run's deadlock and races, each blocked call or access a link to its step. */
function Findings({ diagram, go }: { diagram: TraceDiagram; go: (row: number) => void }) {
  const { deadlock, races, lanes } = diagram;
  if (!deadlock && races.length === 0) return null;
  return (
    <div className="flex flex-col gap-2 text-sm">
      {deadlock && (
        <div className="rounded border border-red-300 bg-red-50 px-3 py-2 dark:border-red-800 dark:bg-red-950">
          <p className="font-semibold text-red-800 dark:text-red-200">
            Deadlock: every remaining thread is blocked.
            {deadlock.cycle.length > 0 && (
              <> Wait-for cycle: {[...deadlock.cycle, deadlock.cycle[0]].map((lane) => lanes[lane].label).join(' → ')}.</>
            )}
          </p>
          <ul className="mt-1 flex flex-col gap-1">
            {deadlock.blocked.map((blocked) => (
              <li key={blocked.lane}>
                <button type="button" className={jump} onClick={() => go(blocked.row)}>step {blocked.row + 1}</button>{' '}
                <span className="font-semibold">{`${lanes[blocked.lane].label} waits in ${blocked.call}`}</span>: {blocked.detail}
              </li>
            ))}
          </ul>
        </div>
      )}
      {races.length > 0 && (
        <div className="rounded border border-amber-300 bg-amber-50 px-3 py-2 dark:border-amber-800 dark:bg-amber-950">
          <RaceLine race={races[0]} go={go} />
          {races.length > 1 && (
            <details className="mt-1">
              <summary className="cursor-pointer">{races.length - 1} more race{races.length > 2 ? 's' : ''}</summary>
              {races.slice(1).map((race) => <RaceLine key={`${race.segment}-${race.index}`} race={race} go={go} />)}
            </details>
          )}
        </div>
      )}
    </div>
  );
}

function RaceLine({ race, go }: { race: RaceMark; go: (row: number) => void }) {
  return (
    <p>
      <strong>Data race</strong> on shared memory segment {race.segment}, cell {race.index}: {race.description}, not ordered by any synchronisation.{' '}
      {race.rows.map((row) => (
        <button key={row} type="button" className={jump} onClick={() => go(row)}>step {row + 1}</button>
      ))}
    </p>
  );
}

/** The current step in full: who, the call, its arguments and result, and what it has to do with the findings. */
function StepDetails({ diagram, row }: { diagram: TraceDiagram; row: number }) {
  const step = diagram.steps[row];
  const lane = diagram.lanes[step.lane];
  const label = (index: number) => diagram.lanes[index].label;
  const incoming = diagram.arrows.filter((arrow) => arrow.toRow === row && arrow.kind !== 'fork');
  const outgoing = diagram.arrows.filter((arrow) => arrow.fromRow === row && arrow.kind !== 'fork');
  const stuck = diagram.deadlock?.blocked.find((blocked) => blocked.row === row);
  const races = diagram.races.filter((race) => race.rows.includes(row));
  const ended = diagram.ends.find((end) => end.row === row);
  const full = (value: unknown) => JSON.stringify(value, null, 1) ?? 'undefined';

  return (
    <div aria-live="polite" className="flex min-h-40 min-w-0 flex-col gap-1.5 rounded border border-zinc-200 px-3 py-2 text-sm dark:border-zinc-800">
      <p className="font-semibold">
        Step {row + 1}: {lane.label} <span className="font-normal text-zinc-500 dark:text-zinc-400">(kernel step {step.step})</span>
      </p>
      <p className="break-words font-mono text-xs">
        {step.call}({step.args.map(full).join(', ')})
      </p>
      {step.blocked && <p><span className="font-medium">Blocks:</span> {step.blocked}</p>}
      {step.error && <p className="text-orange-800 dark:text-orange-200"><span className="font-medium">Fails:</span> {step.error}</p>}
      {!step.blocked && !step.error && step.result !== undefined && (
        <p className="break-words"><span className="font-medium">Returns:</span> <code className="font-mono text-xs">{full(step.result)}</code></p>
      )}
      {step.resumes && <p className="text-zinc-600 dark:text-zinc-300">The call blocked earlier and runs again.</p>}
      {incoming.map((arrow, index) => (
        <p key={`in-${index}`}>
          {arrow.kind === 'signal'
            ? `Receives ${arrow.via}, sent by ${label(arrow.fromLane)} at step ${arrow.fromRow + 1}.`
            : `Receives ${arrow.carries} through ${arrow.via}, sent by ${label(arrow.fromLane)} at step ${arrow.fromRow + 1}.`}
        </p>
      ))}
      {outgoing.map((arrow, index) => (
        <p key={`out-${index}`}>
          {arrow.kind === 'signal'
            ? `Sends ${arrow.via} to ${label(arrow.toLane)}, which takes it at step ${arrow.toRow + 1}.`
            : `Sends ${arrow.carries} through ${arrow.via} to ${label(arrow.toLane)}, which receives it at step ${arrow.toRow + 1}.`}
        </p>
      ))}
      {ended && <p>This is the process&apos;s last step: {ended.how}.</p>}
      {stuck && (
        <p className="font-medium text-red-800 dark:text-red-200">
          Still blocked when the run ended{stuck.waitsFor.length > 0 ? `, waiting for ${stuck.waitsFor.map((index) => (index === stuck.lane ? `${label(index)} (itself)` : label(index))).join(', ')}` : ''}.
        </p>
      )}
      {races.map((race) => (
        <p key={`${race.segment}-${race.index}`} className="font-medium text-amber-800 dark:text-amber-200">
          Races on segment {race.segment}, cell {race.index}: {race.description}.
        </p>
      ))}
    </div>
  );
}

/** The marks this diagram uses, and only those: a legend naming a race must not suggest the run has one. */
function Legend({ diagram }: { diagram: TraceDiagram }) {
  const kinds = new Set(diagram.arrows.map((arrow) => arrow.kind));
  const line = 'inline-block w-5';
  const items: [boolean, string, string][] = [
    [kinds.has('data'), `${line} h-0.5 bg-indigo-600 dark:bg-indigo-400`, 'data through a pipe or FIFO'],
    [kinds.has('message'), `${line} h-0.5 bg-teal-600 dark:bg-teal-400`, 'message'],
    [kinds.has('fork'), `${line} border-t-2 border-dashed border-zinc-500`, 'fork'],
    [kinds.has('signal'), `${line} border-t-2 border-dashed border-red-600`, 'signal'],
    [diagram.gaps.length > 0, 'inline-block h-3 w-3 bg-[repeating-linear-gradient(45deg,var(--color-zinc-400)_0_2px,transparent_2px_5px)]', 'blocked'],
    [diagram.ends.length > 0, `${line} h-0.5 bg-zinc-700 dark:bg-zinc-300`, 'process ends'],
    [diagram.races.length > 0, 'inline-block h-3 w-3 rounded-sm border border-amber-500 bg-amber-200', 'racing access'],
  ];
  return (
    <ul aria-label="Legend" className="flex min-h-4 flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-300">
      {items.filter(([shown]) => shown).map(([, mark, meaning]) => (
        <li key={meaning} className="flex items-center gap-1.5"><span aria-hidden="true" className={mark} />{meaning}</li>
      ))}
    </ul>
  );
}
