import { useEffect, useId, useMemo, useRef, useState, type UIEvent } from 'react';
import type { Arrow, DiagramStep, TraceDiagram } from '@/lib/trace-diagram';

const GUTTER = 48;
const LANE_WIDTH = 216;
const BOX_WIDTH = 160;
const ROW_HEIGHT = 44;
const BOX_HEIGHT = 38;
const HEADER_HEIGHT = 40;
const MAX_HEIGHT = 460;
/** Rows drawn beyond the visible ones, so scrolling never shows a blank band. */
const OVERSCAN = 12;

const laneCentre = (lane: number) => GUTTER + lane * LANE_WIDTH + LANE_WIDTH / 2;
const rowMiddle = (row: number) => row * ROW_HEIGHT + ROW_HEIGHT / 2;

const ARROW_STYLE: Record<Arrow['kind'], { line: string; head: string; text: string; dash?: string }> = {
  data: { line: 'stroke-indigo-600 dark:stroke-indigo-400', head: 'fill-indigo-600 dark:fill-indigo-400', text: 'fill-indigo-800 dark:fill-indigo-200' },
  message: { line: 'stroke-teal-600 dark:stroke-teal-400', head: 'fill-teal-600 dark:fill-teal-400', text: 'fill-teal-800 dark:fill-teal-200' },
  fork: { line: 'stroke-zinc-500 dark:stroke-zinc-400', head: 'fill-zinc-500 dark:fill-zinc-400', text: 'fill-zinc-600 dark:fill-zinc-300', dash: '4 3' },
  signal: { line: 'stroke-red-600 dark:stroke-red-400', head: 'fill-red-600 dark:fill-red-400', text: 'fill-red-800 dark:fill-red-200', dash: '6 3' },
};

const KIND_BADGE: Partial<Record<DiagramStep['kind'], string>> = {
  start: 'starts',
  fork: 'fork',
  exec: 'exec',
  exit: 'exit',
  signal: 'killed',
  handler: 'handler',
};

/** A label no longer than `max` characters. */
const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

interface Props {
  diagram: TraceDiagram;
  cursor: number;
  onSelect: (row: number) => void;
}

/**
 * Lanes side by side, one row per step downwards. Only the rows near the
 * visible part are drawn, so a trace of thousands of steps scrolls smoothly.
 */
export default function SequenceDiagram({ diagram, cursor, onSelect }: Props) {
  const { lanes, steps, gaps, arrows, ends, deadlock, races } = diagram;
  // A lane's line runs from its thread's first step to its end, or on to the bottom.
  const laneSpans = useMemo(
    () => lanes.map((_, index) => {
      const end = ends.find((e) => e.lane === index);
      return { from: steps.findIndex((s) => s.lane === index), to: end ? end.row : null };
    }),
    [lanes, steps, ends],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const patternId = `hatch-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const width = GUTTER + lanes.length * LANE_WIDTH;
  const height = steps.length * ROW_HEIGHT;
  const viewport = Math.min(MAX_HEIGHT, height + HEADER_HEIGHT);

  // Keep the current step in view, scrolling only when it is not.
  useEffect(() => {
    const element = scroller.current;
    const step = steps[cursor];
    if (!element || !step) return;
    const top = cursor * ROW_HEIGHT;
    const visibleRows = element.clientHeight - HEADER_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + visibleRows) element.scrollTop = top + ROW_HEIGHT - visibleRows;
    const left = laneCentre(step.lane) - BOX_WIDTH / 2;
    if (left < element.scrollLeft || left + BOX_WIDTH > element.scrollLeft + element.clientWidth) {
      element.scrollLeft = Math.max(0, left - GUTTER);
    }
  }, [cursor, steps]);

  const firstRow = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const lastRow = Math.min(steps.length - 1, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const windowTop = firstRow * ROW_HEIGHT;
  const windowHeight = (lastRow - firstRow + 1) * ROW_HEIGHT;
  const shown = (from: number, to: number | null) => Math.max(from, to ?? from) >= firstRow && Math.min(from, to ?? steps.length) <= lastRow;

  const cycle = new Set(deadlock?.cycle ?? []);
  const blockedAtEnd = new Set(deadlock?.blocked.map((b) => b.row) ?? []);
  const racing = new Set(races.flatMap((race) => race.rows));

  return (
    <div
      ref={scroller}
      tabIndex={0}
      role="group"
      aria-label="Sequence diagram"
      onScroll={(event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop)}
      className="relative overflow-auto overscroll-contain rounded border border-zinc-200 bg-white [--trace-label-halo:var(--color-white)] dark:border-zinc-800 dark:bg-zinc-950 dark:[--trace-label-halo:var(--color-zinc-950)]"
      style={{ height: viewport }}
    >
      <div className="relative" style={{ width, height: height + HEADER_HEIGHT }}>
        <ol aria-label="Threads" className="sticky top-0 z-20 flex border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900" style={{ width, height: HEADER_HEIGHT, paddingLeft: GUTTER }}>
          {lanes.map((lane, index) => (
            <li
              key={lane.key}
              className={`flex items-center justify-center gap-1 px-1 text-sm font-semibold ${cycle.has(index) ? 'text-red-700 dark:text-red-300' : ''}`}
              style={{ width: LANE_WIDTH }}
            >
              <span>{lane.label}</span>{' '}
              {cycle.has(index) && <span className="rounded bg-red-100 px-1 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200">in the cycle</span>}
            </li>
          ))}
        </ol>

        <div className="absolute left-0" style={{ top: HEADER_HEIGHT, width, height }}>
          <div aria-hidden="true" className="absolute left-0 right-0 bg-indigo-100 dark:bg-indigo-950" style={{ top: cursor * ROW_HEIGHT, height: ROW_HEIGHT }} />
          {/* Only the drawn rows' stretch: a picture as tall as thousands of steps makes every scroll slow. */}
          <svg aria-hidden="true" className="absolute left-0" style={{ top: windowTop }} width={width} height={windowHeight} viewBox={`0 ${windowTop} ${width} ${windowHeight}`}>
            <defs>
              <pattern id={patternId} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
                <line x1="0" y1="0" x2="0" y2="6" strokeWidth="3" className="stroke-zinc-400 dark:stroke-zinc-500" />
              </pattern>
              {Object.entries(ARROW_STYLE).map(([kind, style]) => (
                <marker key={kind} id={`${patternId}-${kind}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                  <path d="M0,0 L10,5 L0,10 z" className={style.head} />
                </marker>
              ))}
            </defs>
            {lanes.map((lane, index) => (
              <line
                key={lane.key}
                x1={laneCentre(index)}
                x2={laneCentre(index)}
                y1={Math.max(windowTop, rowMiddle(laneSpans[index].from))}
                y2={laneSpans[index].to === null ? windowTop + windowHeight : Math.min(windowTop + windowHeight, rowMiddle(laneSpans[index].to!))}
                strokeWidth="2"
                className={cycle.has(index) ? 'stroke-red-300 dark:stroke-red-900' : 'stroke-zinc-200 dark:stroke-zinc-800'}
              />
            ))}
            {ends.filter((end) => shown(end.row, end.row)).map((end) => {
              const y = rowMiddle(end.row) + BOX_HEIGHT / 2 + 3;
              return (
                <g key={end.lane}>
                  <line x1={laneCentre(end.lane) - 24} x2={laneCentre(end.lane) + 24} y1={y} y2={y} strokeWidth="3" className="stroke-zinc-700 dark:stroke-zinc-300" />
                  <text x={laneCentre(end.lane) + 28} y={y + 4} className="fill-zinc-700 text-[10px] dark:fill-zinc-300">{end.how}</text>
                </g>
              );
            })}
            {gaps.filter((gap) => shown(gap.fromRow, gap.toRow)).map((gap) => {
              const top = rowMiddle(gap.fromRow) + BOX_HEIGHT / 2;
              const bottom = gap.toRow === null ? height : rowMiddle(gap.toRow) - BOX_HEIGHT / 2;
              return bottom > top ? (
                <rect
                  key={`${gap.lane}-${gap.fromRow}`}
                  x={laneCentre(gap.lane) - 9}
                  y={top}
                  width={18}
                  height={bottom - top}
                  fill={`url(#${patternId})`}
                  className={gap.toRow === null && deadlock ? 'stroke-red-500' : 'stroke-zinc-400 dark:stroke-zinc-600'}
                />
              ) : null;
            })}
            {races.filter((race) => race.rows.length === 2 && shown(race.rows[0], race.rows[1])).map((race) => {
              const [first, second] = race.rows;
              const x1 = laneCentre(steps[first].lane);
              const x2 = laneCentre(steps[second].lane);
              return (
                <g key={`${race.segment}-${race.index}`}>
                  <line x1={x1} y1={rowMiddle(first)} x2={x2} y2={rowMiddle(second)} strokeWidth="2" strokeDasharray="2 3" className="stroke-amber-500" />
                  <text x={(x1 + x2) / 2} y={(rowMiddle(first) + rowMiddle(second)) / 2} textAnchor="middle" className="fill-amber-800 text-[11px] font-semibold dark:fill-amber-200" paintOrder="stroke" stroke="var(--trace-label-halo)" strokeWidth="3">
                    race on cell {race.index}
                  </text>
                </g>
              );
            })}
            {arrows.filter((arrow) => shown(arrow.fromRow, arrow.toRow)).map((arrow) => (
              <ArrowLine key={`${arrow.kind}-${arrow.fromRow}-${arrow.toRow}-${arrow.via}`} arrow={arrow} markerId={`${patternId}-${arrow.kind}`} />
            ))}
          </svg>

          <ol aria-label="Steps">
            {steps.slice(firstRow, lastRow + 1).map((step) => {
              const current = step.row === cursor;
              const badge = KIND_BADGE[step.kind];
              const tone = blockedAtEnd.has(step.row)
                ? 'border-red-500 bg-red-50 dark:bg-red-950'
                : step.blocked
                  ? 'border-zinc-400 border-dashed bg-zinc-50 dark:bg-zinc-900'
                  : step.error
                    ? 'border-orange-400 bg-orange-50 dark:bg-orange-950'
                    : 'border-zinc-300 bg-white dark:border-zinc-700 dark:bg-zinc-900';
              return (
                <li
                  key={step.row}
                  aria-current={current ? 'step' : undefined}
                  onClick={() => onSelect(step.row)}
                  title={`${step.text} ${step.outcome}`}
                  className={`absolute z-10 flex cursor-pointer flex-col justify-center overflow-hidden rounded border px-1.5 font-mono text-[11px] leading-tight ${tone} ${current ? 'ring-2 ring-indigo-600 dark:ring-indigo-400' : ''} ${racing.has(step.row) ? 'outline-2 outline-amber-500' : ''}`}
                  style={{ top: step.row * ROW_HEIGHT + (ROW_HEIGHT - BOX_HEIGHT) / 2, left: laneCentre(step.lane) - BOX_WIDTH / 2, width: BOX_WIDTH, height: BOX_HEIGHT }}
                >
                  <span className="sr-only">Step {step.row + 1}, {diagram.lanes[step.lane].label}: </span>
                  <span className="truncate font-semibold">
                    {badge && <span className="mr-1 rounded bg-zinc-200 px-0.5 font-sans text-[10px] font-medium text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200">{badge}</span>}
                    {racing.has(step.row) && <span className="mr-1 rounded bg-amber-200 px-0.5 font-sans text-[10px] font-medium text-amber-900">race</span>}
                    {step.text}
                  </span>
                  {step.outcome && (
                    <span className={`truncate ${step.blocked ? 'italic text-zinc-600 dark:text-zinc-300' : step.error ? 'text-orange-800 dark:text-orange-200' : 'text-zinc-600 dark:text-zinc-300'}`}>{step.outcome}</span>
                  )}
                </li>
              );
            })}
          </ol>

          <ol aria-hidden="true">
            {steps.slice(firstRow, lastRow + 1).map((step) => (
              <li key={step.row} className="absolute left-0 pr-2 text-right font-mono text-[11px] text-zinc-600 tabular-nums dark:text-zinc-400" style={{ top: step.row * ROW_HEIGHT + ROW_HEIGHT / 2 - 7, width: GUTTER }}>
                {step.row + 1}
              </li>
            ))}
          </ol>
        </div>
      </div>
    </div>
  );
}

/** What fits beside an arrow: the channel of a byte stream, the data of a message or the signal's name (the step details say the rest). */
const arrowCaption = (arrow: Arrow) => (arrow.kind === 'message' ? (arrow.carries ?? arrow.via) : arrow.via);

/** An arrow from one step's box to another's, labelled with what it carries. */
function ArrowLine({ arrow, markerId }: { arrow: Arrow; markerId: string }) {
  const style = ARROW_STYLE[arrow.kind];
  const y1 = rowMiddle(arrow.fromRow);
  const y2 = rowMiddle(arrow.toRow);
  const rightwards = arrow.toLane >= arrow.fromLane;
  const x1 = laneCentre(arrow.fromLane) + (rightwards ? BOX_WIDTH / 2 : -BOX_WIDTH / 2);
  let path: string;
  let labelX: number;
  let labelY: number;
  if (arrow.fromLane === arrow.toLane) {
    // A thread reading what it wrote itself: a loop beside its lane.
    const bend = x1 + 14;
    path = `M${x1},${y1} C${bend},${y1} ${bend},${y2} ${x1},${y2}`;
    labelX = bend + 2;
    labelY = (y1 + y2) / 2;
  } else {
    const x2 = laneCentre(arrow.toLane) + (rightwards ? -BOX_WIDTH / 2 : BOX_WIDTH / 2);
    path = `M${x1},${y1} L${x2},${y2}`;
    labelX = (x1 + x2) / 2;
    labelY = (y1 + y2) / 2 - 4;
  }
  return (
    <g>
      <path d={path} fill="none" strokeWidth="1.75" strokeDasharray={style.dash} markerEnd={`url(#${markerId})`} className={style.line} />
      {arrow.kind !== 'fork' && (
        <text x={labelX} y={labelY} textAnchor={arrow.fromLane === arrow.toLane ? 'start' : 'middle'} className={`${style.text} text-[10px]`} paintOrder="stroke" strokeWidth="3" stroke="var(--trace-label-halo)">
          {shorten(arrowCaption(arrow), 10)}
        </text>
      )}
    </g>
  );
}
