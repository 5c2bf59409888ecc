/**
 * The submission JSON of web.md as the browser receives it, and the status line it reads as. Shared
 * by the pages (server) and the live workspace (browser): no server-only imports here.
 */
import type { GradeResult } from '../grader/grade';

export type SubmissionStateName = 'queued' | 'running' | 'graded' | 'error';

export interface SubmissionJson {
  id: string;
  course: string;
  exercise: string;
  kind: 'submit' | 'visible';
  state: SubmissionStateName;
  createdAt: string;
  gradedAt: string | null;
  score: number | null;
  maxScore: number | null;
  code: string;
  result: GradeResult | null;
}

/** web.md's live status texts: `Queued`, `Running`, `Graded: 7/10`, `Error: <sentence>`. */
export function statusText(state: SubmissionStateName, score?: number | null, maxScore?: number | null, errorMessage?: string | null): string {
  switch (state) {
    case 'queued':
      return 'Queued';
    case 'running':
      return 'Running';
    case 'graded':
      return `Graded: ${score ?? 0}/${maxScore ?? 0}`;
    case 'error':
      return `Error: ${errorMessage ?? 'grading failed on our side, not because of your code; try again in a minute.'}`;
  }
}

/** What an outcome other than a normal grading usually means, in a student's words. */
export function gradingExplanation(result: GradeResult): string | null {
  switch (result.status) {
    case 'graded':
      return null;
    case 'compile-error':
      return `Your code does not compile: ${(result.message ?? 'see the marked line').replace(/\.$/, '')}. Nothing ran.`;
    case 'timeout':
      return `${result.message ?? 'Your program ran too long.'} This usually means a loop that never ends (a busy wait, or a read loop that never sees end of file).`;
    case 'memory-limit':
      return `${result.message ?? 'Your program ran out of memory.'} This usually means something grows without end: a string or array built in a loop, or processes forked in a loop.`;
    case 'internal-error':
      return `${result.message ?? 'The grader failed.'} This is not your fault.`;
  }
}

/** Where a compile error is, as the grader's compiler words it ("… on line 3, column 7: …"). */
export function compileErrorPosition(message: string | null): { line: number; column: number } | null {
  const match = /on line (\d+), column (\d+)/.exec(message ?? '');
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}
