import type { ReactNode } from 'react';
import type { GradeResult } from '@/grader/grade';
import { gradingExplanation } from '@/lib/submission-view';

type TestOutcome = GradeResult['tests'][number];

/** A grading's tests, each with its name, points and message; `extra` adds what a page offers per test. */
export default function TestResults({ result, extra }: { result: GradeResult; extra?: (test: TestOutcome) => ReactNode }) {
  const explanation = gradingExplanation(result);
  return (
    <section aria-label="Test results" className="flex flex-col gap-3">
      {explanation && (
        <p className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">{explanation}</p>
      )}
      <ul className="flex flex-col gap-2">
        {result.tests.map((test) => (
          <li key={test.name} id={encodeURIComponent(test.name)} className="rounded border border-zinc-200 px-3 py-2 dark:border-zinc-800">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-medium">
                <span aria-hidden="true" className={test.passed ? 'text-emerald-600' : 'text-red-600'}>{test.passed ? '✓ ' : '✗ '}</span>
                {test.name}
                {!test.visible && <span className="ml-2 rounded bg-zinc-100 px-1.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">hidden</span>}
              </span>
              <span className="text-sm tabular-nums">{test.score}/{test.weight} points</span>
            </div>
            <span className="sr-only">{test.passed ? 'passed' : 'failed'}</span>
            {test.message && <p className="mt-1 whitespace-pre-wrap text-sm text-zinc-700 dark:text-zinc-300">{test.message}</p>}
            {extra?.(test)}
          </li>
        ))}
      </ul>
    </section>
  );
}
