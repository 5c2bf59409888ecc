import type { Suite } from '../../../grader/harness';

// `echo LONG` writes 62 characters with its newline: almost four times what a pipe holds (16).
const LONG = 'the quick brown fox jumps over the lazy dog and runs far away';

export default function tests({ test, props }: Suite) {
  const startAll = 'start every stage before waiting for any: a stage that fills its pipe blocks until the next stage reads';
  const closeEnds = 'every process must close the pipe ends it does not use: a read returns end of file only once every write end is closed, the parent\'s included';

  test('a three-stage pipeline prints the right result under every schedule', { weight: 3 }, async (t) => {
    await t.explore({ argv: ['echo hi there', 'tr a-z A-Z', 'wc -w'], runs: 50 }, [props.stdoutIs('2\n')]);
    await t.explore({ argv: ['echo bad cab', 'tr abc xyz', 'cat'], runs: 20 }, [props.stdoutIs('yxd zxy\n')]);
  });

  test('every stage sees end of file: no deadlock', { weight: 2 }, async (t) => {
    await t.explore({ argv: ['echo a b c', 'cat', 'cat', 'wc -w'], runs: 40 }, [props.noDeadlock({ hint: closeEnds })]);
  });

  test('the stages run at the same time: more text than a pipe holds', { weight: 2 }, async (t) => {
    await t.explore({ argv: [`echo ${LONG}`, 'tr a-z A-Z', 'wc -c'], runs: 25 }, [props.stdoutIs('62\n', { hint: startAll })]);
    await t.explore({ argv: ['yes', 'head -n 3'], runs: 25 }, [props.stdoutIs('y\ny\ny\n', { hint: startAll })]);
  });

  test("the exit status is the last stage's", { weight: 2 }, async (t) => {
    const hint = "the pipeline's status is the last stage's exit status, whichever child exits last";
    await t.explore({ argv: ['echo hi', 'false'], runs: 20 }, [props.exitStatus(1, { hint })]);
    await t.explore({ argv: ['echo hi', 'grep x'], runs: 15 }, [props.exitStatus(1, { hint })]);
    // Here the first stage always ends last.
    await t.explore({ argv: ['sleep 1', 'false'], runs: 15 }, [props.exitStatus(1, { hint })]);
  });

  test('a command that does not exist is reported', { weight: 1 }, async (t) => {
    await t.explore({ argv: ['echo hi', 'no-such-command x', 'wc -l'], runs: 15 }, [
      props.stderrIs('pipeline: no-such-command: command not found\n', { hint: 'when exec rejects, the child writes the message to fd 2 and exits with status 127' }),
      props.stdoutIs('0\n', { hint: 'the stages after the missing command still run: wc -l counts no lines' }),
    ]);
    // A missing last stage makes the pipeline's status 127, as in a shell.
    await t.explore({ argv: ['echo hi', 'no-such-command'], runs: 10 }, [
      props.exitStatus(127, { hint: 'a child whose exec fails exits with status 127 (command not found), and the pipeline returns the last stage\'s status' }),
    ]);
  });

  test('no descriptor is left open', { weight: 1, requires: ['a three-stage pipeline prints the right result under every schedule'] }, async (t) => {
    await t.explore({ argv: ['echo a b', 'cat', 'wc -c'], runs: 20 }, [
      props.stdoutIs('4\n'),
      props.noLeakedFds({ hint: 'after dup2, close the original descriptor; close every pipe end a process does not use' }),
    ]);
  });

  test('every child is reaped', { weight: 1, requires: ['a three-stage pipeline prints the right result under every schedule'] }, async (t) => {
    await t.explore({ argv: ['echo a', 'cat', 'cat'], runs: 20 }, [props.stdoutIs('a\n'), props.noZombies({ hint: 'wait for every stage, not only the last' })]);
  });
}
