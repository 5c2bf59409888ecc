/**
 * How an assignment's policy turns a student's graded submissions into one score: the best or the
 * last counts, and a late submission loses a share of its score per day (or part of one) after the
 * due date. Pure: the gradebook, the CSV and the regrade report all count with it.
 */
export type Counting = 'best' | 'last';

export interface CountingPolicy {
  counting: Counting;
  dueAt: Date;
  /** Percent of the score lost per started day late. */
  latePenaltyPerDay: number;
}

export interface GradedAttempt {
  createdAt: Date;
  score: number;
  maxScore: number;
}

export interface CountedScore {
  /** After the late penalty. */
  score: number;
  maxScore: number;
  /** Before the late penalty. */
  rawScore: number;
  daysLate: number;
  createdAt: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Started days after the due date: one minute late is one day late. */
export function daysLate(createdAt: Date, dueAt: Date): number {
  const ms = createdAt.getTime() - dueAt.getTime();
  return ms <= 0 ? 0 : Math.ceil(ms / DAY_MS);
}

function roundPoints(points: number): number {
  return Math.round(points * 100) / 100;
}

function withLatePenalty(attempt: GradedAttempt, policy: CountingPolicy): CountedScore {
  const late = daysLate(attempt.createdAt, policy.dueAt);
  const kept = Math.max(0, 1 - (late * policy.latePenaltyPerDay) / 100);
  return { score: roundPoints(attempt.score * kept), maxScore: attempt.maxScore, rawScore: attempt.score, daysLate: late, createdAt: attempt.createdAt };
}

/** The score that counts, or null when the student has no graded submission. */
export function countedScore(attempts: readonly GradedAttempt[], policy: CountingPolicy): CountedScore | null {
  const scored = attempts.map((attempt) => withLatePenalty(attempt, policy));
  if (scored.length === 0) return null;
  if (policy.counting === 'last') return scored.reduce((last, next) => (next.createdAt > last.createdAt ? next : last));
  // Among equal best scores the earliest counts: it is the one that was on time, if any was.
  return scored.reduce((best, next) => (next.score > best.score || (next.score === best.score && next.createdAt < best.createdAt) ? next : best));
}

/** When an assignment takes submissions: from its opening to its due date, then late until the hard deadline, if it has one. */
export interface SubmissionWindow {
  opensAt: Date;
  dueAt: Date;
  /** Late submissions are taken until then; null closes at the due date. */
  hardDeadlineAt: Date | null;
}

export type WindowPhase = 'upcoming' | 'open' | 'late' | 'closed';

/** Where `now` falls in the window: the submit API refuses by it and the student pages say it, so the two agree. */
export function windowPhase(window: SubmissionWindow, now: Date): WindowPhase {
  if (window.opensAt > now) return 'upcoming';
  if (now <= window.dueAt) return 'open';
  return window.hardDeadlineAt && now <= window.hardDeadlineAt ? 'late' : 'closed';
}
