import type { Suite } from '../../../grader/harness';

/** Producers 1..p each make `items` items; c consumers share the p * items items equally. */
function setup(producers: number, consumers: number, items: number) {
  const programs = [];
  for (let id = 1; id <= producers; id++) programs.push({ entry: 'producer', argv: [id, items] });
  for (let c = 0; c < consumers; c++) programs.push({ entry: 'consumer', argv: [(producers * items) / consumers] });
  const expected = [];
  for (let id = 1; id <= producers; id++) for (let seq = 1; seq <= items; seq++) expected.push(String(id * 100 + seq));
  return { programs, expected };
}

/** Hygiene tests hold for a program that does nothing: they count once the basic visible test passes. */
const BASIC = 'one producer, one consumer, three items';

export default function tests({ test, props }: Suite) {
  const two = setup(2, 2, 2);

  test('every item is consumed exactly once under every schedule', { weight: 4 }, async (t) => {
    await t.explore({ programs: two.programs, runs: 100 }, [
      props.stdoutLines(two.expected, {
        hint: 'each of 101, 102, 201, 202 must be printed exactly once, and nothing else (are the initial values of empty and full right? is every slot update inside the mutex?)',
      }),
    ]);
  });
  test('no deadlock under every schedule', { weight: 3, requires: [BASIC] }, async (t) => {
    await t.explore({ programs: two.programs, runs: 60 }, [
      props.noDeadlock({
        hint: 'wait on empty (or full) before taking the mutex: a process that sleeps on a counting semaphore while holding the mutex locks out the one that would post it; and check the initial values',
      }),
    ]);
  });
  test('no data race on the shared indices', { weight: 2, requires: [BASIC] }, async (t) => {
    await t.explore({ programs: two.programs, runs: 40 }, [
      props.noRace({
        hint: 'two producers (or two consumers) update in (or out) at the same time: every access to in, out and the slot they name belongs inside the mutex',
      }),
    ]);
  });
  test('one producer and one consumer pass more items than the buffer holds', { weight: 1 }, async (t) => {
    const one = setup(1, 1, 5);
    await t.explore({ programs: one.programs, runs: 30 }, [props.stdoutIs(one.expected.map((line) => `${line}\n`).join('')), props.finishes()]);
  });
}
