import type { Suite } from '../../../grader/harness';

const LISTING = 'Makefile\nhello.c\nnotes.txt\n';

export default function tests({ test, props }: Suite) {
  test('the listing comes before Child Complete under every schedule', { weight: 4 }, async (t) => {
    await t.explore({ argv: [], runs: 120 }, [
      props.stdoutIs(`${LISTING}Child Complete\n`, { hint: 'the parent must wait for its child before it prints Child Complete' }),
    ]);
  });

  test('the child runs the program named in argv, with its arguments', { weight: 2 }, async (t) => {
    await t.explore({ argv: ['echo', 'hello', 'world'], runs: 40 }, [
      props.stdoutIs('hello world\nChild Complete\n', { hint: "the child execs argv[0] with the rest of argv as the program's arguments, and the parent waits for it" }),
    ]);
  });

  test('the child is reaped', { weight: 1, requires: ['the child runs the program named in argv, with its arguments'] }, async (t) => {
    await t.explore({ argv: ['echo', 'bye'], runs: 40 }, [props.stdoutIs('bye\nChild Complete\n'), props.noZombies({ hint: 'the parent must wait for its child' })]);
  });

  test('an unknown program: the child prints Exec Failed and exits with status 1', { weight: 2 }, async (t) => {
    await t.explore({ argv: ['no-such-program', 'x'], runs: 20 }, [
      props.stderrIs('Exec Failed\n', { hint: 'when exec rejects, the child catches it, writes Exec Failed to fd 2 and exits' }),
      props.exitStatus(1, { pid: 3, hint: 'the child whose exec failed exits with status 1' }),
      props.stdoutIs('Child Complete\n', { hint: 'the parent still waits for the child and prints Child Complete' }),
      props.exitStatus(0, { hint: 'the parent exits with status 0' }),
    ]);
  });

  test('fork fails: Fork Failed on stderr and exit status 1', { weight: 2 }, async (t) => {
    await t.run({ argv: [], maxProcs: 1 }, [
      props.stderrIs('Fork Failed\n', { hint: 'when fork rejects with EAGAIN, catch it and write Fork Failed to fd 2' }),
      props.exitStatus(1, { hint: 'a failed fork ends the program with status 1' }),
      props.stdoutIs('', { hint: 'nothing runs when fork fails' }),
    ]);
  });
}
