import type { Suite } from '../../../grader/harness';

export default function tests({ test, props, situations }: Suite) {
  test('mutual exclusion: no increment is ever lost', { weight: 4 }, async (t) => {
    let finished = 0;
    await t.explore({ argv: [3, 3], runs: 200 }, [
      // Only runs that end say what the counter reached; a run that spins forever is the next test's concern.
      props.custom('counter is 6', (run) => {
        if (run.status !== 'ok') return null;
        finished++;
        return run.stdout === 'counter: 6\n' ? null
          : `stdout was ${JSON.stringify(run.stdout)} instead of "counter: 6\\n": an increment was lost or not yet made. Either both processes were in the critical section at once, and one increment overwrote the other (raise your own flag before you give the turn away, and wait while the other's flag is up and the turn is its), or the parent read the counter before its child had finished (wait for it first)`;
      }),
    ]);
    if (finished === 0) t.fail('no run finished, so the counter was never printed');
  });

  test('no livelock: both processes always get through', { weight: 3, requires: ['two increments each'] }, async (t) => {
    await t.explore({ argv: [2, 2], runs: 60 }, [
      props.finishes({
        diagnoses: [
          {
            when: (run) => run.status === 'step-limit' && run.processes.some((p) => p.status !== null),
            hint: 'one process had already left, yet the other still spun: a flag left up keeps the other out for ever: does unlock lower the flag?',
          },
          {
            when: situations.spunAlone(),
            hint: 'one process had finished and waited for its child, yet the child still spun: a flag left up keeps the other out for ever: does unlock lower the flag?',
          },
          {
            when: situations.ended('step-limit'),
            hint: 'both processes spun, each waiting for the other: when both want in at the same time, the turn variable must break the tie',
          },
        ],
      }),
    ]);
  });

  test('the segment is detached and removed', { weight: 1, requires: ['two increments each'] }, async (t) => {
    await t.explore({ argv: [2, 1], runs: 20 }, [
      props.stdoutIs('counter: 3\n'),
      props.noLeakedSegments({
        diagnoses: [
          { when: situations.leftAttached(), hint: 'each process detaches the segment (shmdt) before it exits' },
          { when: situations.leftUnremoved(), hint: 'the parent removes the segment (shmctl IPC_RMID) after printing' },
        ],
      }),
    ]);
  });

  test('progress: a process that does not want in never blocks the other', { weight: 2 }, async (t) => {
    const stuck = {
      when: situations.ended('step-limit'),
      hint: 'one process has no increments to do (or is done), and the other must still get in: do not wait for a process that is not trying to enter',
    };
    await t.explore({ argv: [0, 3], runs: 10 }, [props.stdoutIs('counter: 3\n', stuck)]);
    await t.explore({ argv: [2, 0], runs: 10 }, [props.stdoutIs('counter: 2\n', stuck)]);
  });
}
