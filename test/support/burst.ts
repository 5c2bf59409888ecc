/**
 * A burst of submissions through the real web app, as a class on deadline night sends it: many
 * students, each with a personal API token, submitting at a steady rate; a client that is told
 * 503 (a dependency is down) tries again, as its Retry-After says it may. Then the database's
 * word on it: every accepted submission graded, exactly one result row each. The fault test
 * (test/platform/faults.test.ts) and the load bench (bench/platform/load.mjs) share it.
 */
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../lib/generated/prisma/client';
import { createApiToken } from '../../lib/tokens';
import type { TestPlatform } from './web';

export interface TokenStudent {
  userId: string;
  token: string;
}

/** `count` students of `courseId`, each with a personal API token (made in the database: signing up 100 accounts would meet better-auth's own rate limit). */
export async function enrolStudentsWithTokens(db: PrismaClient, courseId: string, count: number): Promise<TokenStudent[]> {
  const students: TokenStudent[] = [];
  for (let i = 0; i < count; i++) {
    const tag = randomUUID().slice(0, 8);
    const user = await db.user.create({ data: { id: randomUUID(), name: `Load ${i}`, email: `load-${i}-${tag}@rendezvous.test` } });
    await db.enrolment.create({ data: { courseId, userId: user.id, role: 'student' } });
    students.push({ userId: user.id, token: (await createApiToken(user.id, 'burst', db)).token });
  }
  return students;
}

export interface BurstOptions {
  courseId: string;
  slug: string;
  students: TokenStudent[];
  /** Sources to submit, taken in turn. */
  codes: string[];
  total: number;
  /** The submissions are spread evenly over this long. */
  durationMs: number;
  /** Every fifth submission is a visible run, as students test before they submit. */
  visibleEvery?: number;
}

export interface BurstReport {
  /** Accepted submissions (202), in the order they were sent. */
  ids: string[];
  /** Answers other than 202 that the client retried (503 while a dependency was down, a refused connection). */
  retried: number;
  /** The retries by cause: `503`, or the error of a request that got no answer (`no answer: ECONNRESET`). */
  retriedBy: Record<string, number>;
  /** Statuses that are neither 202 nor retried: a burst that sees any has failed. */
  failures: { status: number; error: string }[];
}

const RETRY_AFTER_MS = 250;
/** A client gives up on one submission after this long (the burst then reports the failure). */
const GIVE_UP_AFTER_MS = 60_000;

/** Sends the burst and waits until each submission is accepted or has failed. */
export async function sendBurst(platform: TestPlatform, options: BurstOptions): Promise<BurstReport> {
  const report: BurstReport = { ids: [], retried: 0, retriedBy: {}, failures: [] };
  const accepted: (string | undefined)[] = [];
  const sendOne = async (index: number): Promise<void> => {
    const student = options.students[index % options.students.length];
    const kind = options.visibleEvery && index % options.visibleEvery === options.visibleEvery - 1 ? 'visible' : 'submit';
    const body = { course: options.courseId, exercise: options.slug, code: options.codes[index % options.codes.length], kind };
    const giveUpAt = Date.now() + GIVE_UP_AFTER_MS;
    for (;;) {
      let noAnswer = '';
      const response = await platform.request('/api/submissions', { body, token: student.token }).catch((error: Error) => {
        noAnswer = `no answer: ${(error.cause as { code?: string } | undefined)?.code ?? error.message}`;
        return null;
      });
      if (response?.status === 202) {
        accepted[index] = ((await response.json()) as { id: string }).id;
        return;
      }
      const answer = response ? ((await response.json().catch(() => ({}))) as { error?: string }) : { error: 'no answer' };
      if ((response === null || response.status === 503) && Date.now() < giveUpAt) {
        report.retried++;
        const cause = response ? String(response.status) : noAnswer;
        report.retriedBy[cause] = (report.retriedBy[cause] ?? 0) + 1;
        await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
        continue;
      }
      report.failures.push({ status: response?.status ?? 0, error: answer.error ?? '' });
      return;
    }
  };
  const gapMs = options.durationMs / options.total;
  const sent: Promise<void>[] = [];
  const start = Date.now();
  for (let index = 0; index < options.total; index++) {
    const due = start + index * gapMs;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    sent.push(sendOne(index));
  }
  await Promise.all(sent);
  report.ids = accepted.filter((id): id is string => id !== undefined);
  return report;
}

export interface ExactlyOnce {
  /** Submissions in a final state (graded or error). */
  finished: number;
  graded: number;
  /** Submissions without a result row. */
  withoutResult: string[];
  /** Submissions with more than one result row. */
  gradedTwice: string[];
  /** Milliseconds from creation to verdict, per graded submission. */
  latenciesMs: number[];
}

/** The database's account of a burst: states, result rows per submission, and latencies. */
export async function checkExactlyOnce(db: PrismaClient, ids: string[]): Promise<ExactlyOnce> {
  const rows = await db.$queryRaw<{ id: string; state: string; results: bigint; latency_ms: number | null }[]>`
    SELECT s.id, s.state::text AS state, count(r.id) AS results,
           EXTRACT(EPOCH FROM (s."gradedAt" - s."createdAt")) * 1000 AS latency_ms
    FROM submission s LEFT JOIN result r ON r."submissionId" = s.id
    WHERE s.id = ANY(${ids})
    GROUP BY s.id`;
  return {
    finished: rows.filter((row) => row.state === 'graded' || row.state === 'error').length,
    graded: rows.filter((row) => row.state === 'graded').length,
    withoutResult: [...ids.filter((id) => !rows.some((row) => row.id === id)), ...rows.filter((row) => Number(row.results) === 0).map((row) => row.id)],
    gradedTwice: rows.filter((row) => Number(row.results) > 1).map((row) => row.id),
    latenciesMs: rows.flatMap((row) => (row.latency_ms === null ? [] : [Number(row.latency_ms)])),
  };
}
