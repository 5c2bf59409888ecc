import type { Suite } from '../../../grader/harness';
import type { RunResult } from '../../../kernel/types';

/** What the master prints for these jobs: one line per job, sorted by job. */
function expected(jobs: number[]): string {
  return [...jobs].sort((a, b) => a - b).map((n) => `${n} -> ${(n * (n + 1)) / 2}\n`).join('');
}

export default function tests({ test, props, situations }: Suite) {
  test('every result is printed once, sorted by job', { weight: 4 }, async (t) => {
    const hint = 'the master must print one line per job, sorted by job; results come back in the order the workers happen to finish, ' +
      'so each result must say which job it answers';
    const when = (jobs: number[]) => situations.any(situations.strayLine(expected(jobs).split('\n')), situations.ended('ok'));
    const workersGone = {
      when: situations.all(situations.blockedIn('mailbox_receive', 2), (run: RunResult) => run.processes.every((p) => p.ppid !== 2 || p.status !== null)),
      hint: 'every worker has exited while the master still waits for results: a worker takes jobs until it takes a poison pill, however many ' +
        'the others took, so that the master gets one line per job',
    };
    const jobs = [5, 9, 2, 7, 4, 8, 6];
    await t.explore({ argv: jobs, runs: 100 }, [props.stdoutIs(expected(jobs), { diagnoses: [workersGone], when: when(jobs), hint })]);
    await t.explore({ argv: [3, 1], runs: 30 }, [props.stdoutIs(expected([3, 1]), { diagnoses: [workersGone], when: when([3, 1]), hint })]);
  });

  test('jobs of several digits are sorted as numbers, with as many results as jobs', { weight: 2 }, async (t) => {
    const jobs = [12, 3, 100, 25, 2, 9, 10, 1];
    await t.explore({ argv: jobs, runs: 60 }, [
      props.stdoutIs(expected(jobs), {
        diagnoses: [
          { when: situations.ended('deadlock'), hint: 'the master sends every job before it receives a result: the results mailbox must hold a result for each of up to 8 jobs' },
          { when: (run) => run.stdout.startsWith('1 -> 1\n10 -> '), hint: 'sort the jobs as numbers (a - b), not as strings: 10 comes after 9' },
        ],
      }),
    ]);
  });

  test('the workers stop on poison pills and are waited for', { weight: 3 }, async (t) => {
    await t.explore({ argv: [6, 2, 5, 3, 1, 4], runs: 100 }, [
      props.finishes({
        when: situations.blockedIn('mailbox_receive'),
        hint: 'every worker must keep receiving until it takes a poison pill, and the master must send one pill per worker: ' +
          'a worker left waiting in mailbox_receive never ends, and a master waiting for it never does either',
      }),
      props.noZombies({ when: situations.zombieOf(2), hint: 'the master must wait for its three workers' }),
      props.custom('every worker exits with status 0', (run) => {
        const failed = run.processes.filter((p) => p.ppid === 2 && p.status !== 0);
        return failed.length === 0 || run.status !== 'ok' ? null
          : `worker ${failed.map((p) => `pid ${p.pid} ended with ${p.signal ?? `status ${p.status}`}`).join(', ')}: a worker exits with status 0 once it takes its pill ` +
            '(a mailbox destroyed while a worker still receives from it makes that receive reject with EIDRM: destroy the mailboxes after waiting)';
      }),
      props.custom('three workers', (run) => {
        const workers = run.processes.filter((p) => p.ppid === 2).length;
        return workers === 3 ? null : `the master forked ${workers} worker${workers === 1 ? '' : 's'}; the pool has exactly 3`;
      }),
    ]);
  });
}
