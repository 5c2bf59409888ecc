import { moduleFrom, runKernel } from '../test/support/kernel';
import { budgetPoll, MOST_STEPS_BETWEEN_POLLS } from './budget';

/** A clock the test moves by hand. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let at = 1_000;
  return { now: () => at, advance: (ms) => (at += ms) };
}

describe('polling a run’s CPU budget', () => {
  test('quick steps are polled every 256 steps, even on a clock that reads no time between polls', () => {
    const { now, advance } = clock();
    const poll = budgetPoll(now, 100);
    expect(poll()).toBe(MOST_STEPS_BETWEEN_POLLS);
    advance(0.1);
    expect(poll()).toBe(MOST_STEPS_BETWEEN_POLLS);
  });

  test('slow steps are polled often enough that the stop comes about 10 ms after the budget, not 256 steps later', () => {
    const { now, advance } = clock();
    const poll = budgetPoll(now, 300);
    // 256 steps of 0.3 ms each: the next poll comes after 33 steps (about 10 ms).
    advance(256 * 0.3);
    expect(poll()).toBe(33);
    advance(33 * 0.3);
    expect(poll()).toBe(33);
    // 33 steps that compute for 50 ms each pass the budget: that poll ends the run.
    advance(33 * 50);
    expect(poll()).toBe(0);
  });

  test('steps that get quick again stretch the interval back, doubling while the clock reads nothing', () => {
    const { now, advance } = clock();
    const poll = budgetPoll(now, 10_000);
    advance(256 * 5);
    expect(poll()).toBe(2);
    expect(poll()).toBe(4);
    advance(0.001);
    expect(poll()).toBe(MOST_STEPS_BETWEEN_POLLS);
  });

  test('answers 0 once the budget has passed, and only then', () => {
    const { now, advance } = clock();
    const poll = budgetPoll(now, 100);
    advance(100);
    expect(poll()).toBeGreaterThan(0);
    advance(1);
    expect(poll()).toBe(0);
  });
});

test('the kernel polls first at step 256, then after as many steps as each poll answered, and ends the run at a 0', async () => {
  const answers = [10, 3, 0];
  let polls = 0;
  const yields = moduleFrom('export default async function main(sys: any) { for (let i = 0; i < 1000; i++) await sys.yield(); }');
  const result = await runKernel({ programs: [{ module: yields }], pollBudget: () => answers[polls++] });
  expect(polls).toBe(3);
  expect(result.status).toBe('timeout');
  // The third poll, at step 256 + 10 + 3, ended the run.
  expect(result.steps).toBe(269);
});
