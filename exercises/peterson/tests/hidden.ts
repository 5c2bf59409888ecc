import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('mutual exclusion: no increment is ever lost', { weight: 4 }, async (t) => {
    let finished = 0;
    await t.explore({ argv: [3, 3], runs: 200 }, [
      // Only runs that end say what the counter reached; a run that spins forever is the next test's concern.
      props.custom('counter is 6', (run) => {
        if (run.status !== 'ok') return null;
        finished++;
        return run.stdout === 'counter: 6\n' ? null
          : `stdout was ${JSON.stringify(run.stdout)} instead of "counter: 6\\n": when both processes are in the critical section at once, one increment overwrites the other (raise your own flag before you give the turn away, and wait while the other's flag is up and the turn is its)`;
      }),
    ]);
    if (finished === 0) t.fail('no run finished, so the counter was never printed');
  });

  test('no livelock: both processes always get through', { weight: 3, requires: ['two increments each'] }, async (t) => {
    await t.explore({ argv: [2, 2], runs: 60 }, [
      props.finishes({
        diagnoses: [{
          when: (run) => run.status === 'step-limit' && run.processes.some((p) => p.status !== null),
          hint: 'one process had already left, yet the other still spun: a flag left up keeps the other out for ever: does unlock lower the flag?',
        }],
        hint: 'each process waited for the other forever: if both wanted in at the same time, the turn variable must break the tie; ' +
          'if one had finished (or waits for its child), its flag must be down: does unlock lower the flag?',
      }),
    ]);
  });

  test('the segment is detached and removed', { weight: 1, requires: ['two increments each'] }, async (t) => {
    await t.explore({ argv: [2, 1], runs: 20 }, [
      props.stdoutIs('counter: 3\n'),
      props.noLeakedSegments({ hint: 'the child detaches before it exits; the parent detaches and removes the segment (shmctl IPC_RMID) after printing' }),
    ]);
  });

  test('progress: a process that does not want in never blocks the other', { weight: 2 }, async (t) => {
    const hint = 'one process has no increments to do (or is done), and the other must still get in: do not wait for a process that is not trying to enter';
    await t.explore({ argv: [0, 3], runs: 10 }, [props.stdoutIs('counter: 3\n', { hint })]);
    await t.explore({ argv: [2, 0], runs: 10 }, [props.stdoutIs('counter: 2\n', { hint })]);
  });
}
