'use client';

import * as Plot from '@observablehq/plot';
import { useEffect, useId, useMemo, useRef, useState } from 'react';

export interface ChartAssignment {
  slug: string;
  title: string;
  /** Each student's counted score, as a percentage of the maximum. */
  percents: number[];
  passRates: { test: string; passed: number; total: number; visible: boolean }[];
}

const BAR = '#4338ca';
/** Ten bands of ten points; a full score falls in the last. */
const BANDS = Array.from({ length: 10 }, (_, index) => (index === 9 ? '90–100%' : `${index * 10}–${index * 10 + 9}%`));

function distribution(percents: number[]): { band: string; students: number }[] {
  const counts = BANDS.map(() => 0);
  for (const percent of percents) counts[Math.min(9, Math.floor(percent / 10))] += 1;
  return BANDS.map((band, index) => ({ band, students: counts[index] }));
}

function testLabel(rate: ChartAssignment['passRates'][number]): string {
  return `${rate.test}${rate.visible ? '' : ' (hidden)'}`;
}

/** Draws a Plot chart into a div that React leaves alone. */
function PlotFigure({ options }: { options: Plot.PlotOptions }) {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = Plot.plot(options);
    // One image with its label and description: Plot's labels on inner groups are not allowed there (axe: aria-prohibited-attr).
    chart.setAttribute('role', 'img');
    for (const group of chart.querySelectorAll('[aria-label]')) group.removeAttribute('aria-label');
    holder.current?.replaceChildren(chart);
    return () => chart.remove();
  }, [options]);
  return <div ref={holder} className="overflow-x-auto" />;
}

function distributionChart(title: string, bands: { band: string; students: number }[]): Plot.PlotOptions {
  // Whole students only on the axis: at most ten ticks, each a whole number.
  const most = Math.max(1, ...bands.map((band) => band.students));
  return {
    ariaLabel: `Score distribution of ${title}`,
    ariaDescription: bands.map((band) => `${band.band}: ${band.students}`).join(', '),
    width: 640, height: 260, marginBottom: 40,
    x: { label: 'Score', domain: BANDS },
    y: { label: 'Students', grid: true, tickFormat: 'd', domain: [0, most], ticks: Array.from({ length: Math.min(most, 10) + 1 }, (_, index) => Math.round((index * most) / Math.min(most, 10))) },
    marks: [
      Plot.barY(bands, { x: 'band', y: 'students', fill: BAR }),
      Plot.text(bands, { x: 'band', y: 'students', text: (band: { students: number }) => (band.students > 0 ? String(band.students) : ''), dy: -8, fontSize: 12 }),
      Plot.ruleY([0]),
    ],
  };
}

function passRateChart(title: string, rates: ChartAssignment['passRates']): Plot.PlotOptions {
  const rows = rates.map((rate) => ({ test: testLabel(rate), percent: (100 * rate.passed) / rate.total, label: `${rate.passed}/${rate.total} (${Math.round((100 * rate.passed) / rate.total)}%)` }));
  return {
    ariaLabel: `Pass rate by test of ${title}`,
    ariaDescription: rows.map((row) => `${row.test}: ${row.label}`).join(', '),
    // Room for the longest test name (about 6 px a character at Plot's 10 px sans-serif).
    width: 820, height: Math.max(80, 40 + rows.length * 28), marginLeft: Math.min(420, 20 + 6 * Math.max(...rows.map((row) => row.test.length))), marginRight: 90,
    x: { label: 'Passed (%)', domain: [0, 100], grid: true },
    y: { label: null, domain: rows.map((row) => row.test) },
    marks: [
      Plot.barX(rows, { y: 'test', x: 'percent', fill: BAR }),
      Plot.text(rows, { y: 'test', x: 'percent', text: 'label', textAnchor: 'start', dx: 6, fontSize: 12 }),
      Plot.ruleX([0]),
    ],
  };
}

function DataTable({ caption, headings, rows }: { caption: string; headings: string[]; rows: (string | number)[][] }) {
  return (
    <details className="text-sm">
      <summary className="cursor-pointer">{caption} as a table</summary>
      <table className="mt-2 border-collapse text-left">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>{headings.map((heading) => <th key={heading} scope="col" className="border-b border-zinc-300 py-1 pr-4 dark:border-zinc-700">{heading}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row) => <tr key={String(row[0])}>{row.map((cell, index) => <td key={index} className="py-1 pr-4 tabular-nums">{cell}</td>)}</tr>)}
        </tbody>
      </table>
    </details>
  );
}

/**
 * The gradebook's two charts for one assignment (chosen in a select): how the counted scores are
 * spread, and each test's pass rate, most failed first. Bars in one colour with their numbers
 * written on them, so nothing is said by colour alone; each chart has its data as a table too.
 */
export default function GradebookCharts({ assignments }: { assignments: ChartAssignment[] }) {
  const selectId = useId();
  const [slug, setSlug] = useState(assignments.find((assignment) => assignment.percents.length > 0)?.slug ?? assignments[0]?.slug);
  const assignment = assignments.find((candidate) => candidate.slug === slug);
  const bands = useMemo(() => distribution(assignment?.percents ?? []), [assignment]);
  const rates = assignment?.passRates ?? [];
  const charts = useMemo(() => assignment && [distributionChart(assignment.title, bands), passRateChart(assignment.title, assignment.passRates)], [assignment, bands]);
  if (!assignment || !charts) return <p>No assignment yet: the charts appear once an exercise is assigned.</p>;
  return (
    <div className="flex flex-col gap-6">
      <label htmlFor={selectId} className="flex flex-col gap-1 self-start text-sm font-medium">
        Chart of assignment
        <select id={selectId} value={slug} onChange={(event) => setSlug(event.target.value)}
          className="rounded border border-zinc-300 bg-white px-3 py-2 text-base font-normal dark:border-zinc-700 dark:bg-zinc-900">
          {assignments.map((candidate) => <option key={candidate.slug} value={candidate.slug}>{candidate.title}</option>)}
        </select>
      </label>
      <section aria-label="Score distribution" className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">Score distribution</h2>
        <p className="text-sm">{assignment.percents.length} student{assignment.percents.length === 1 ? '' : 's'} with a counted score on {assignment.title}.</p>
        <PlotFigure options={charts[0]} />
        <DataTable caption="Score distribution" headings={['Score band', 'Students']} rows={bands.map((band) => [band.band, band.students])} />
      </section>
      <section aria-label="Pass rate by test" className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">Pass rate by test</h2>
        {rates.length === 0 ? <p className="text-sm">No graded submission counts yet.</p> : (
          <p className="text-sm">Most failed: <strong>{testLabel(rates[0])}</strong>, passed by {rates[0].passed} of {rates[0].total}.</p>
        )}
        {rates.length > 0 && <PlotFigure options={charts[1]} />}
        <DataTable caption="Pass rate by test" headings={['Test', 'Passed', 'Of', 'Rate']}
          rows={rates.map((rate) => [testLabel(rate), rate.passed, rate.total, `${Math.round((100 * rate.passed) / rate.total)}%`])} />
      </section>
    </div>
  );
}
