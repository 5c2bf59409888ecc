import type { Suite } from '../../../grader/harness';
import type { RunResult } from '../../../kernel/types';

// `echo LONG` writes 62 characters with its newline: almost four times what a pipe holds (16).
const LONG = 'the quick brown fox jumps over the lazy dog and runs far away';

export default function tests({ test, props, situations }: Suite) {
  const startAll = {
    when: situations.all(situations.blockedIn('write'), situations.any(situations.blockedIn('wait', 2), situations.blockedIn('waitpid', 2))),
    hint: 'start every stage before waiting for any: a stage that fills its pipe blocks until the next stage reads',
  };
  const closeEnds = {
    when: situations.blockedOn('read', /write end is still open/),
    hint: 'every process must close the pipe ends it does not use: a read returns end of file only once every write end is closed, the parent\'s included',
  };
  /** The shell (pid 2) exited with the status of one of its stages, but not the one asked for. */
  const someStagesStatus = (run: RunResult): boolean => {
    const shell = run.processes.find((p) => p.pid === 2);
    return shell?.status !== null && shell?.status !== undefined && run.processes.some((p) => p.ppid === 2 && p.status === shell.status);
  };
  const childExited127 = (run: RunResult): boolean => run.processes.some((p) => p.ppid === 2 && p.status === 127);

  test('a three-stage pipeline prints the right result under every schedule', { weight: 3 }, async (t) => {
    await t.explore({ argv: ['echo hi there', 'tr a-z A-Z', 'wc -w'], runs: 50 }, [props.stdoutIs('2\n')]);
    await t.explore({ argv: ['echo bad cab', 'tr abc xyz', 'cat'], runs: 20 }, [props.stdoutIs('yxd zxy\n')]);
  });

  test('every stage sees end of file: no deadlock', { weight: 2 }, async (t) => {
    await t.explore({ argv: ['echo a b c', 'cat', 'cat', 'wc -w'], runs: 40 }, [props.noDeadlock(closeEnds)]);
  });

  test('the stages run at the same time: more text than a pipe holds', { weight: 2 }, async (t) => {
    await t.explore({ argv: [`echo ${LONG}`, 'tr a-z A-Z', 'wc -c'], runs: 25 }, [props.stdoutIs('62\n', startAll)]);
    await t.explore({ argv: ['yes', 'head -n 3'], runs: 25 }, [props.stdoutIs('y\ny\ny\n', startAll)]);
  });

  test("the exit status is the last stage's", { weight: 2 }, async (t) => {
    const lastStage = { when: someStagesStatus, hint: "the pipeline's status is the last stage's exit status, whichever child exits last" };
    await t.explore({ argv: ['echo hi', 'false'], runs: 20 }, [props.exitStatus(1, lastStage)]);
    await t.explore({ argv: ['echo hi', 'grep x'], runs: 15 }, [props.exitStatus(1, lastStage)]);
    // Here the first stage always ends last.
    await t.explore({ argv: ['sleep 1', 'false'], runs: 15 }, [props.exitStatus(1, lastStage)]);
  });

  test('a command that does not exist is reported', { weight: 1 }, async (t) => {
    await t.explore({ argv: ['echo hi', 'no-such-command x', 'wc -l'], runs: 15 }, [
      props.stderrIs('pipeline: no-such-command: command not found\n', { when: situations.not(situations.stderrMatches(/command not found/)), hint: 'when exec rejects, the child writes the message to fd 2 and exits with status 127' }),
      props.stdoutIs('0\n', { when: (run) => run.stdout === '', hint: 'the stages after the missing command still run: wc -l counts no lines' }),
    ]);
    // A missing last stage makes the pipeline's status 127, as in a shell.
    await t.explore({ argv: ['echo hi', 'no-such-command'], runs: 10 }, [
      props.exitStatus(127, {
        diagnoses: [
          { when: situations.not(childExited127), hint: 'a child whose exec fails exits with status 127 (command not found)' },
          { when: situations.exited(2), hint: 'the pipeline returns the last stage\'s status, here the 127 of the command that was not found' },
        ],
      }),
    ]);
  });

  test('no descriptor is left open', { weight: 1, requires: ['a three-stage pipeline prints the right result under every schedule'] }, async (t) => {
    await t.explore({ argv: ['echo a b', 'cat', 'wc -c'], runs: 20 }, [
      props.stdoutIs('4\n'),
      props.noLeakedFds({ when: situations.leftOpen(), hint: 'after dup2, close the original descriptor; close every pipe end a process does not use' }),
    ]);
  });

  test('every child is reaped', { weight: 1, requires: ['a three-stage pipeline prints the right result under every schedule'] }, async (t) => {
    await t.explore({ argv: ['echo a', 'cat', 'cat'], runs: 20 }, [props.stdoutIs('a\n'), props.noZombies({ when: situations.zombieOf(2), hint: 'wait for every stage, not only the last' })]);
  });
}
