import { countedScore, daysLate } from './grade-policy';

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
