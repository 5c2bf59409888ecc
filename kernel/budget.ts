/**
 * A run's CPU budget as the kernel polls it. Reading a clock at every step would cost more than a
 * quick step, so the kernel asks every few hundred steps; but a program that computes between its
 * calls takes far longer per step, and a poll every 256 of its steps could come long after the
 * budget, so late that the sandbox's hard stop (for code that never calls) came first, with a
 * message that blames a loop without system calls. The interval therefore follows the steps' pace.
 */

/** Steps between polls while steps are quick. */
export const MOST_STEPS_BETWEEN_POLLS = 256;
/** How far apart polls may be on the run's clock, so the kernel's own stop comes soon after the budget. */
const POLL_SPACING_MS = 10;

/**
 * `now` is the run's clock in milliseconds (its resolution may be 1 ms). The function returned
 * answers 0 once `budgetMs` has passed since the call that made it; otherwise how many steps the
 * kernel takes before asking again.
 */
export function budgetPoll(now: () => number, budgetMs: number): () => number {
  const startedAt = now();
  let lastPollAt = startedAt;
  let stepsBetweenPolls = MOST_STEPS_BETWEEN_POLLS;
  return () => {
    const at = now();
    if (at - startedAt > budgetMs) return 0;
    const elapsed = at - lastPollAt;
    lastPollAt = at;
    // A clock of 1 ms resolution reads no time at all over quick steps: that only says they were quick.
    const fitting = elapsed > 0 ? Math.floor((POLL_SPACING_MS * stepsBetweenPolls) / elapsed) : stepsBetweenPolls * 2;
    stepsBetweenPolls = Math.max(1, Math.min(MOST_STEPS_BETWEEN_POLLS, fitting));
    return stepsBetweenPolls;
  };
}
