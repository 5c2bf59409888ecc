'use client';

import { useState } from 'react';
import type { GradeResult } from '@/grader/grade';
import TestResults from './TestResults';
import TraceViewer from './TraceViewer';

/** A submission's tests; a failed test with a counterexample opens the trace viewer on it. */
export default function SubmissionResults({ submissionId, result, code }: { submissionId: string; result: GradeResult; code: string }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <TestResults
      result={result}
      extra={(test) =>
        !test.passed && test.counterexample && (
          <>
            <button type="button" aria-expanded={open === test.name} onClick={() => setOpen(open === test.name ? null : test.name)}
              className="mt-2 rounded border border-indigo-700 px-3 py-1 text-sm font-medium text-indigo-700 hover:bg-indigo-50 dark:border-indigo-300 dark:text-indigo-200 dark:hover:bg-indigo-950">
              {open === test.name ? 'Hide trace' : 'Show trace'}
            </button>
            {open === test.name && (
              <div className="mt-3">
                <TraceViewer counterexample={test.counterexample} code={code} source={{ submissionId, test: test.name }} />
              </div>
            )}
          </>
        )
      }
    />
  );
}
