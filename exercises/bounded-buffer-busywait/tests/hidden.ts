import type { Suite } from '../../../grader/harness';

/** The producer and the consumer pass `count` items; the consumer prints 1..count. */
const pair = (count: number) => ({ programs: [{ entry: 'producer', argv: [count] }, { entry: 'consumer', argv: [count] }] });
const upTo = (count: number) => Array.from({ length: count }, (_, i) => `${i + 1}\n`).join('');

export default function tests({ test, props, situations }: Suite) {
  test('every item arrives once and in order under every schedule', { weight: 4 }, async (t) => {
    await t.explore({ ...pair(8), runs: 150 }, [
      props.stdoutIs(upTo(8), {
        diagnoses: [{
          when: situations.ended('step-limit'),
          hint: 'the consumer waited for ever for an item: does its waiting loop read `in` again on every turn (a value read once never changes)? ' +
            'or did the producer overwrite items not yet taken (is the full test right? full is (in + 1) % BUFFER_SIZE == out)?',
        }],
        when: situations.ended('ok'),
        hint: 'the consumer must print 1, 2, ..., 8: an item was lost, repeated or read too early (is the full test right? ' +
          'full is (in + 1) % BUFFER_SIZE == out: the buffer holds BUFFER_SIZE - 1 items)',
      }),
    ]);
  });
  test('no data race on the buffer', { weight: 3, requires: ['three items arrive in order'] }, async (t) => {
    await t.explore({ ...pair(6), runs: 100 }, [
      props.noRace({
        when: situations.raceOn(),
        hint: 'read `in` and `out` with add(i, 0) and write them with compareExchange, and publish an index only after the slot it covers is filled (producer) or emptied (consumer)',
      }),
    ]);
  });
  test('a single item', { weight: 1 }, async (t) => {
    await t.explore({ ...pair(1), runs: 20 }, [props.stdoutIs('1\n'), props.finishes()]);
  });
  test('the consumer removes the segment, and both processes exit with status 0', { weight: 2, requires: ['three items arrive in order'] }, async (t) => {
    await t.explore({ ...pair(5), runs: 40 }, [
      props.stdoutIs(upTo(5)),
      props.exitStatus(0, { pid: 2 }),
      props.exitStatus(0, { pid: 3 }),
      props.noLeakedSegments({
        diagnoses: [
          { when: situations.leftAttached(), hint: 'both processes detach the segment (shmdt)' },
          { when: situations.leftUnremoved(), hint: 'the consumer removes the segment at the end (shmctl IPC_RMID)' },
        ],
      }),
    ]);
  });
}
