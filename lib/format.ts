/**
 * Dates and durations as a student reads them. Times are shown in UTC so every browser and the
 * server agree on what a page says.
 */
import { windowPhase, type SubmissionWindow } from './grade-policy';

export function formatInstant(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "3 days left", "5 hours left", "closed" — rounded down, as a student counts the time they have. */
export function timeLeft(dueAt: Date, now: Date): string {
  const ms = dueAt.getTime() - now.getTime();
  if (ms <= 0) return 'closed';
  const hours = Math.floor(ms / 3_600_000);
  if (hours >= 48) return `${Math.floor(hours / 24)} days left`;
  if (hours >= 1) return `${hours} hour${hours === 1 ? '' : 's'} left`;
  return `${Math.max(1, Math.floor(ms / 60_000))} min left`;
}

/**
 * What a student may still do, beside the due date: "3 days left", "late: 10% off per day until
 * 2026-12-20 17:00 UTC", "closed" (only once the submit API refuses), or "opens …".
 */
export function deadlineStatus(window: SubmissionWindow & { latePenaltyPerDay: number }, now: Date): string {
  switch (windowPhase(window, now)) {
    case 'upcoming':
      return `opens ${formatInstant(window.opensAt)}`;
    case 'open':
      return timeLeft(window.dueAt, now);
    case 'late': {
      const until = formatInstant(window.hardDeadlineAt!);
      return window.latePenaltyPerDay > 0 ? `late: ${window.latePenaltyPerDay}% off per day until ${until}` : `late, without penalty, until ${until}`;
    }
    case 'closed':
      return 'closed';
  }
}

export function formatScore(score: number | null, maxScore: number | null): string {
  return score === null || maxScore === null ? '—' : `${score}/${maxScore}`;
}
