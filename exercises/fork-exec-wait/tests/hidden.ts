import type { Suite } from '../../../grader/harness';
import type { RunResult } from '../../../kernel/types';

const LISTING = 'Makefile\nhello.c\nnotes.txt\n';

/** Child Complete was printed, but not last: the parent did not wait for the child's output. */
const completeTooEarly = (run: RunResult): boolean => run.stdout.includes('Child Complete') && !run.stdout.endsWith('Child Complete\n');

export default function tests({ test, props, situations }: Suite) {
  test('the listing comes before Child Complete under every schedule', { weight: 4 }, async (t) => {
    await t.explore({ argv: [], runs: 120 }, [
      props.stdoutIs(`${LISTING}Child Complete\n`, { when: completeTooEarly, hint: 'the parent must wait for its child before it prints Child Complete' }),
    ]);
  });

  test('the child runs the program named in argv, with its arguments', { weight: 2 }, async (t) => {
    await t.explore({ argv: ['echo', 'hello', 'world'], runs: 40 }, [
      props.stdoutIs('hello world\nChild Complete\n', {
        diagnoses: [
          { when: completeTooEarly, hint: 'the parent waits for its child before it prints Child Complete' },
          { when: situations.not(situations.printed(/^hello world$/m)), hint: "the child execs argv[0] with the rest of argv as the program's arguments" },
        ],
      }),
    ]);
  });

  test('the child is reaped', { weight: 1, requires: ['the child runs the program named in argv, with its arguments'] }, async (t) => {
    await t.explore({ argv: ['echo', 'bye'], runs: 40 }, [props.stdoutIs('bye\nChild Complete\n'), props.noZombies({ when: situations.zombieOf(2), hint: 'the parent must wait for its child' })]);
  });

  test('an unknown program: the child prints Exec Failed and exits with status 1', { weight: 2 }, async (t) => {
    await t.explore({ argv: ['no-such-program', 'x'], runs: 20 }, [
      props.stderrIs('Exec Failed\n', { when: situations.any(situations.not(situations.stderrMatches(/Exec Failed/)), situations.stderrMatches(/Uncaught/)), hint: 'when exec rejects, the child catches it, writes Exec Failed to fd 2 and exits' }),
      props.exitStatus(1, { pid: 3, when: situations.exited(3), hint: 'the child whose exec failed exits with status 1' }),
      props.stdoutIs('Child Complete\n', { when: situations.not(situations.printed(/Child Complete/)), hint: 'the parent still waits for the child and prints Child Complete' }),
      props.exitStatus(0, { when: situations.exited(2), hint: 'the parent exits with status 0' }),
    ]);
  });

  test('fork fails: Fork Failed on stderr and exit status 1', { weight: 2 }, async (t) => {
    await t.run({ argv: [], maxProcs: 1 }, [
      props.stderrIs('Fork Failed\n', { when: situations.not(situations.stderrMatches(/^Fork Failed$/m)), hint: 'when fork rejects with EAGAIN, catch it and write Fork Failed to fd 2' }),
      props.exitStatus(1, { when: situations.exited(2), hint: 'a failed fork ends the program with status 1' }),
      props.stdoutIs('', { when: situations.printed(/./), hint: 'nothing runs when fork fails' }),
    ]);
  });
}
