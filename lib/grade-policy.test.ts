import { deadlineStatus } from './format';
import { countedScore, daysLate, windowPhase } from './grade-policy';

const due = new Date('2026-03-10T12:00:00Z');
const at = (iso: string, score: number) => ({ createdAt: new Date(iso), score, maxScore: 10 });

describe('the score that counts', () => {
  it('counts one minute late as one day late, and on time as none', () => {
    expect(daysLate(new Date('2026-03-10T12:00:00Z'), due)).toBe(0);
    expect(daysLate(new Date('2026-03-10T12:01:00Z'), due)).toBe(1);
    expect(daysLate(new Date('2026-03-12T12:00:00Z'), due)).toBe(2);
  });

  it('best: the highest score after the late penalty, so a late full mark can lose to an earlier one', () => {
    const attempts = [at('2026-03-09T00:00:00Z', 8), at('2026-03-12T00:00:00Z', 10)];
    expect(countedScore(attempts, { counting: 'best', dueAt: due, latePenaltyPerDay: 10 })).toMatchObject({ score: 8, daysLate: 0 });
    expect(countedScore(attempts, { counting: 'best', dueAt: due, latePenaltyPerDay: 5 })).toMatchObject({ score: 9, rawScore: 10, daysLate: 2 });
  });

  it('last: the newest submission, even when an earlier one scored more', () => {
    const attempts = [at('2026-03-09T00:00:00Z', 10), at('2026-03-09T01:00:00Z', 4)];
    expect(countedScore(attempts, { counting: 'last', dueAt: due, latePenaltyPerDay: 0 })).toMatchObject({ score: 4 });
  });

  it('never takes more than the whole score, and nothing counts without a graded submission', () => {
    expect(countedScore([at('2026-03-30T00:00:00Z', 10)], { counting: 'best', dueAt: due, latePenaltyPerDay: 50 })).toMatchObject({ score: 0 });
    expect(countedScore([], { counting: 'best', dueAt: due, latePenaltyPerDay: 0 })).toBeNull();
  });
});

describe('when an assignment takes submissions, and what a student reads beside its due date', () => {
  const window = { opensAt: new Date('2026-03-01T12:00:00Z'), dueAt: due, hardDeadlineAt: new Date('2026-03-12T12:00:00Z'), latePenaltyPerDay: 10 };
  const phaseAt = (iso: string, hardDeadlineAt: Date | null = window.hardDeadlineAt) => windowPhase({ ...window, hardDeadlineAt }, new Date(iso));

  it('is open until the due date itself, late until the hard deadline itself, then closed', () => {
    expect(phaseAt('2026-02-28T12:00:00Z')).toBe('upcoming');
    expect(phaseAt('2026-03-10T12:00:00Z')).toBe('open');
    expect(phaseAt('2026-03-10T12:00:01Z')).toBe('late');
    expect(phaseAt('2026-03-12T12:00:00Z')).toBe('late');
    expect(phaseAt('2026-03-12T12:00:01Z')).toBe('closed');
  });

  it('closes at the due date when there is no hard deadline', () => {
    expect(phaseAt('2026-03-10T12:00:01Z', null)).toBe('closed');
  });

  it('says the penalty and the hard deadline while late work is taken, and closed only after', () => {
    expect(deadlineStatus(window, new Date('2026-03-07T11:00:00Z'))).toBe('3 days left');
    expect(deadlineStatus(window, new Date('2026-03-11T00:00:00Z'))).toBe('late: 10% off per day until 2026-03-12 12:00 UTC');
    expect(deadlineStatus({ ...window, latePenaltyPerDay: 0 }, new Date('2026-03-11T00:00:00Z'))).toBe('late, without penalty, until 2026-03-12 12:00 UTC');
    expect(deadlineStatus(window, new Date('2026-03-13T00:00:00Z'))).toBe('closed');
    expect(deadlineStatus(window, new Date('2026-02-28T00:00:00Z'))).toBe('opens 2026-03-01 12:00 UTC');
  });
});
