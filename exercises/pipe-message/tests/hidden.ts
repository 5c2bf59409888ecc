import type { Suite } from '../../../grader/harness';

/** Hygiene tests hold vacuously for a program that prints without a pipe or a child: they count once this passes. */
const THROUGH_THE_PIPE = 'the message travels from the child through the pipe';

const LONG = 'The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over the lazy dog.';

export default function tests({ test, props, situations }: Suite) {
  test(THROUGH_THE_PIPE, { weight: 2, requires: ['a short message arrives'] }, async (t) => {
    await t.run({ argv: ['through the pipe'], trace: true }, [
      props.custom('the child writes and the parent reads', (run) => {
        const entries = run.trace ?? [];
        const childWrote = entries.some((e) => e.call === 'write' && e.thread.startsWith('3:') && typeof e.result === 'number' && e.result > 0);
        const parentRead = entries.some((e) => e.call === 'read' && e.thread.startsWith('2:') && typeof e.result === 'string' && e.result !== '');
        return childWrote && parentRead ? null : 'the child (pid 3) must write the message into the pipe and the parent (pid 2) must read it from there';
      }),
    ]);
  });
  test('parent prints the whole message under every schedule', { weight: 4 }, async (t) => {
    await t.explore({ argv: [LONG], runs: 200 }, [props.stdoutIs(`${LONG}\n`, {
      hint: 'a read returns what the pipe holds at that moment, which may be less than you asked for: read again until it returns \'\' (end of file)',
      when: (run) => run.status === 'ok' && `${LONG}\n`.startsWith(run.stdout.slice(0, -1)),
    })]);
  });
  test('no deadlock', { weight: 2, requires: [THROUGH_THE_PIPE] }, async (t) => {
    await t.explore({ argv: [LONG], runs: 100 }, [
      props.noDeadlock({
        diagnoses: [
          { when: situations.blockedOn('read', /write end is still open in (.*, )?pid 2 \(/, 2), hint: 'the parent must close its own write end, or its read never sees end of file' },
          {
            when: situations.any(situations.blockedIn('wait', 2), situations.blockedIn('waitpid', 2)),
            hint: 'the parent waits for its child before reading, but a child that writes more than the pipe holds blocks until someone reads: read until end of file first, then wait',
          },
        ],
      }),
    ]);
  });
  test('the child is reaped', { weight: 1, requires: [THROUGH_THE_PIPE] }, async (t) => {
    await t.explore({ argv: ['bye'], runs: 50 }, [props.stdoutIs('bye\n'), props.noZombies({ when: situations.zombieOf(2), hint: 'the parent must wait for its child' })]);
  });
  test('no descriptor is left open', { weight: 1, requires: [THROUGH_THE_PIPE] }, async (t) => {
    await t.explore({ argv: ['bye'], runs: 50 }, [props.stdoutIs('bye\n'), props.noLeakedFds({ when: situations.leftOpen(undefined, /pipe/), hint: 'each process must close the pipe ends it holds' })]);
  });
}
