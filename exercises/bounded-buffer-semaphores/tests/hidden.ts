import type { RunResult } from '../../../kernel/types';
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

/** The cells of the ring's indices (the solution's layout: in, out, then the slots). */
const IN = 0;
const OUT = 1;

const MUTEX_ORDER = 'wait on empty (or full) before taking the mutex: a process that sleeps on a counting semaphore while holding the mutex locks out the one that would post it';
const INITIAL_VALUES = 'every process waits on empty or full and nobody can post: check the initial values (empty = BUFFER_SIZE, full = 0)';

/** Deadlocked with some process waiting for the mutex: another sleeps on a counting semaphore while holding it. */
const waitsForMutex = (run: RunResult): boolean => run.deadlock?.blocked.some((b) => b.call === 'sem_wait' && b.detail.includes("'mutex'")) ?? false;

export default function tests({ test, props, situations }: Suite) {
  const two = setup(2, 2, 2);

  test('every item is consumed exactly once under every schedule', { weight: 4 }, async (t) => {
    await t.explore({ programs: two.programs, runs: 100 }, [
      props.stdoutLines(two.expected, {
        diagnoses: [{ when: waitsForMutex, hint: MUTEX_ORDER }, { when: situations.ended('deadlock'), hint: INITIAL_VALUES }],
        when: situations.ended('ok'),
        hint: 'each of 101, 102, 201, 202 must be printed exactly once, and nothing else (are the initial values of empty and full right? is every slot update inside the mutex?)',
      }),
    ]);
  });
  test('no deadlock under every schedule', { weight: 3, requires: [BASIC] }, async (t) => {
    await t.explore({ programs: two.programs, runs: 60 }, [
      props.noDeadlock({ diagnoses: [{ when: waitsForMutex, hint: MUTEX_ORDER }, { when: situations.allBlockedIn('sem_wait'), hint: INITIAL_VALUES }] }),
    ]);
  });
  test('no data race on the shared indices', { weight: 2, requires: [BASIC] }, async (t) => {
    await t.explore({ programs: two.programs, runs: 40 }, [
      props.noRace({
        when: situations.raceOn([IN, OUT]),
        hint: 'two producers (or two consumers) update in (or out) at the same time: every access to in, out and the slot they name belongs inside the mutex',
      }),
    ]);
  });
  test('each process detaches the segment', { weight: 1, requires: [BASIC] }, async (t) => {
    await t.explore({ programs: two.programs, runs: 20 }, [
      props.stdoutLines(two.expected),
      props.custom('every process detaches', (run) => {
        const attached = run.shmLeaks.attachedAtExit;
        return attached.length === 0 ? null
          : `${attached.map((leak) => `pid ${leak.pid}`).join(', ')} exited with the segment still attached: each process detaches it (shmdt) when it is done`;
      }, { kind: 'hygiene' }),
    ]);
  });

  test('one producer and one consumer pass more items than the buffer holds', { weight: 1 }, async (t) => {
    const one = setup(1, 1, 5);
    await t.explore({ programs: one.programs, runs: 30 }, [props.stdoutIs(one.expected.map((line) => `${line}\n`).join('')), props.finishes()]);
  });
}
