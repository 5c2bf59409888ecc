/**
 * Whole traces on demand. A stored result keeps only the end of each counterexample's trace (the
 * steps that lead up to the failure), which keeps results small; when a student wants the whole
 * run, the worker grades that one test again — its seeds do not depend on the other tests, so the
 * same counterexample comes back — and keeps its trace whole in a FullTrace row.
 */
import { z } from 'zod';
import type { GradeResult } from '../grader/grade';
import type { Counterexample } from '../grader/harness';
import type { Actor } from './authz';
import { db, type FullTraceState } from './db';
import { HttpError } from './errors';
import { openQueue } from './queue';
import { findVisibleSubmission, submissionJson } from './submissions';

export const TRACE_QUEUE = 'traces';

/** Trace entries a stored counterexample keeps (its last ones); the rest is rebuilt on demand. */
const STORED_TRACE_ENTRIES = 1_000;

export const fullTraceJobSchema = z.object({ fullTraceId: z.string().min(1) });
export type FullTraceJob = z.infer<typeof fullTraceJobSchema>;

export const fullTraceRequestSchema = z.object({ test: z.string().min(1).max(500) });

/** A counterexample as stored: its trace cut to the last STORED_TRACE_ENTRIES, with how many entries were left out. */
function trimmed(counterexample: Counterexample): Counterexample {
  const excess = counterexample.trace.length - STORED_TRACE_ENTRIES;
  if (excess <= 0) return counterexample;
  return { ...counterexample, trace: counterexample.trace.slice(excess), traceTrimmed: excess };
}

/** The grade as the database keeps it: every counterexample's trace trimmed. */
export function withTrimmedTraces(grade: GradeResult): GradeResult {
  return { ...grade, tests: grade.tests.map((test) => (test.counterexample ? { ...test, counterexample: trimmed(test.counterexample) } : test)) };
}

export interface FullTraceView {
  state: FullTraceState;
  counterexample: Counterexample | null;
  message: string | null;
}

/** The test's counterexample as the actor may see it; 404 when it has none they may see, or none was trimmed. */
async function trimmedCounterexample(actor: Actor, submissionId: string, test: string) {
  const { submission, role } = await findVisibleSubmission(actor, submissionId);
  const shown = submissionJson(submission, role).result?.tests.find((outcome) => outcome.name === test);
  if (!shown?.counterexample) throw new HttpError(404, `This submission has no trace for a test named '${test}'.`);
  if (!shown.counterexample.traceTrimmed) throw new HttpError(400, 'This trace is already whole: there is nothing more to load.');
  return shown;
}

/** Asks the worker for the whole trace (once: a second request finds the first). */
export async function requestFullTrace(actor: Actor, submissionId: string, test: string): Promise<FullTraceView> {
  await trimmedCounterexample(actor, submissionId, test);
  let row = await db.fullTrace.upsert({
    where: { submissionId_test: { submissionId, test } },
    create: { submissionId, test },
    // A failed attempt may be asked for again; a queued or ready one stays as it is.
    update: {},
  });
  if (row.state === 'failed') row = await db.fullTrace.update({ where: { id: row.id }, data: { state: 'queued', message: null } });
  if (row.state !== 'ready') {
    await openQueue<FullTraceJob>(TRACE_QUEUE).add('full-trace', { fullTraceId: row.id }, { jobId: row.id, attempts: 3, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: true });
  }
  return fullTraceView(row);
}

export async function readFullTrace(actor: Actor, submissionId: string, test: string): Promise<FullTraceView> {
  await trimmedCounterexample(actor, submissionId, test);
  const row = await db.fullTrace.findUnique({ where: { submissionId_test: { submissionId, test } } });
  if (!row) throw new HttpError(404, 'Nobody has asked for this whole trace yet.');
  return fullTraceView(row);
}

/** A FullTrace row as its client is shown it. */
function fullTraceView(row: { state: FullTraceState; counterexample: unknown; message: string | null }): FullTraceView {
  return { state: row.state, counterexample: (row.counterexample as Counterexample | null) ?? null, message: row.message };
}
