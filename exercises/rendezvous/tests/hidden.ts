import type { Suite } from '../../../grader/harness';

/** Every line both processes print, in any order. */
function expected(parentValues: string[], childValues: string[]): string[] {
  return parentValues.flatMap((mine, i) => [
    `parent round ${i + 1}: sent ${mine}, got ${childValues[i]}`,
    `child round ${i + 1}: sent ${childValues[i]}, got ${mine}`,
  ]);
}

const DEADLOCK_HINT = 'with capacity 0 a send_to waits until the other process receives: if both send first (or both receive first) ' +
  'neither ever gets there, so the two sides must always agree on who sends first, for example the lower pid';

export default function tests({ test, props, situations }: Suite) {
  test('both values cross in every round', { weight: 4 }, async (t) => {
    const parentValues = ['ant', 'bee', 'cat'];
    const childValues = ['xray', 'yak', 'zebu'];
    await t.explore({ argv: [parentValues, childValues], runs: 100 }, [
      props.stdoutLines(expected(parentValues, childValues), {
        diagnoses: [
          { when: situations.ended('deadlock'), hint: 'rounds that never end print nothing' },
          { when: situations.strayLine(expected(parentValues, childValues)), hint: 'in every round each process must send its own value, receive the other\'s, and print both' },
        ],
      }),
    ]);
  });

  test('no deadlock under any schedule', { weight: 3, requires: ['both values cross in every round'] }, async (t) => {
    await t.explore({ argv: [['one', 'two'], ['uno', 'dos']], exhaustive: true, runs: 200 }, [props.finishes({ when: situations.ended('deadlock'), hint: DEADLOCK_HINT })]);
  });

  test('the child is reaped', { weight: 1, requires: ['both values cross in every round'] }, async (t) => {
    await t.explore({ argv: [['a', 'b'], ['c', 'd']], runs: 50 }, [props.stdoutLines(expected(['a', 'b'], ['c', 'd'])), props.noZombies({ when: situations.zombieOf(2), hint: 'the parent must wait for its child' })]);
  });
}
