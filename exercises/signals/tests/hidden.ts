import type { RunResult } from '../../../kernel/types';
import type { Suite } from '../../../grader/harness';

/** The server (pid 2) with `workers` workers, and the operator (pid 3) pressing Ctrl-C at 100 ms, once everything else waits. */
const session = (workers: number) => ({
  programs: [{ entry: 'default', argv: [String(workers)] }, { entry: 'operator', argv: [2, 100] }],
});
const numbered = (workers: number, line: (k: number) => string): string[] => Array.from({ length: workers }, (_, i) => line(i + 1));
const quote = (text: string): string => JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text);
const server = (run: RunResult) => run.processes.find((p) => p.pid === 2);
const crashed = (run: RunResult): boolean => (server(run)?.stderr ?? '').includes('Uncaught');

/** Hygiene tests hold for a program that does nothing: they count once the basic visible test passes. */
const BASIC = 'two workers, then Ctrl-C';

export default function tests({ test, props, situations }: Suite) {
  test('every job report is printed', { weight: 2 }, async (t) => {
    const reports = props.allDelivered(numbered(4, (k) => `job ${k} done`));
    await t.explore({ ...session(4), runs: 50 }, [
      props.custom('every report printed', (run) => {
        const problem = reports.check(run);
        if (problem === null) return null;
        return crashed(run) ? `the server crashed before it read every report (${problem}; it wrote ${quote(server(run)?.stderr ?? '')} to stderr)`
          : `the server copies every report it reads from the pipe to its stdout, until SIGINT (${problem})`;
      }),
    ]);
  });

  test('every worker is reaped, even when several exit together', { weight: 3 }, async (t) => {
    const loop = 'one pending SIGCHLD can stand for several exited children (signals do not queue): the handler must reap in a loop until waitpid(-1, {nohang: true}) returns null';
    // A server that crashed leaves its workers unreaped too; say so rather than blame the loop.
    const late = 'a SIGCHLD that arrives before its handler is installed is lost: install the SIGCHLD handler before the first fork';
    const why = (run: RunResult): string => (crashed(run) ? 'the server crashed before it could reap every worker (see the test on interrupted reads)'
      : !/^worker \d+ reaped$/m.test(server(run)?.stdout ?? '') ? late : loop);
    for (const workers of [4, 2]) {
      const zombies = props.noZombies();
      const reapedLines = props.allDelivered(numbered(workers, (k) => `worker ${k} reaped`));
      await t.explore({ ...session(workers), runs: workers === 4 ? 60 : 30 }, [
        props.custom('no zombies', (run) => {
          const problem = zombies.check(run);
          return problem === null ? null : `${why(run)} (${problem})`;
        }),
        props.custom('every worker reaped', (run) => {
          const problem = reapedLines.check(run);
          return problem === null ? null : `${why(run)} (${problem})`;
        }),
      ]);
    }
  });

  test('a handler interrupting the read does not crash the server', { weight: 2, requires: [BASIC] }, async (t) => {
    await t.explore({ ...session(4), runs: 50 }, [
      props.custom('no crash', (run) => {
        const proc = server(run);
        if (proc && !crashed(run)) return null;
        const why = proc?.stderr.includes('ECHILD') || proc?.stderr.includes('no children')
          ? 'waitpid rejects with ECHILD once no child is left at all: the reaping loop must catch it'
          : 'after a handler runs, the read it interrupted rejects with EINTR: catch it and go round the loop again';
        return `${why} (the server wrote ${quote(proc?.stderr ?? '')} to stderr)`;
      }),
    ]);
  });

  test('SIGINT shuts the server down cleanly', { weight: 3 }, async (t) => {
    await t.explore({ ...session(4), runs: 50 }, [
      props.exitStatus(0, {
        diagnoses: [
          { when: situations.killedBy('SIGINT', 2), hint: 'Ctrl-C killed the server: without a SIGINT handler, SIGINT ends a process' },
          {
            when: situations.blockedIn('read', 2),
            hint: 'after SIGINT the server is still blocked in read: a read that starts again after the handler ({restart: true}) never lets the loop see its flag',
          },
        ],
        when: situations.exited(2),
        hint: 'on SIGINT the server leaves its loop, prints its summary and exits with status 0',
      }),
      props.custom('summary last', (run) => {
        const lines = (server(run)?.stdout ?? '').split('\n').filter((line) => line !== '');
        const last = lines[lines.length - 1] ?? '';
        const reapedLines = (server(run)?.stdout ?? '').split('\n').filter((line) => /^worker \d+ reaped$/.test(line)).length;
        const summary = `shutdown: 4 jobs done, ${reapedLines} workers reaped`;
        return last === summary ? null
          : `the server's last line is ${quote(last)}, not the summary ${quote(summary)} (R counts the workers reaped, one per "worker K reaped" line)` +
            `${run.status === 'ok' ? '' : `; the run ended as ${run.status} (${run.message ?? ''}): a read that starts again after the SIGINT handler ` +
              '(installed with {restart: true}) never lets the loop see its flag'}`;
      }),
    ]);
  });

  test('more workers than the pipe holds', { weight: 2, requires: [BASIC] }, async (t) => {
    // Eight reports (88 characters) do not fit in the pipe (64): workers block in write until the server reads.
    await t.explore({ ...session(8), runs: 40 }, [
      props.stdoutLines([...numbered(8, (k) => `job ${k} done`), ...numbered(8, (k) => `worker ${k} reaped`), 'shutdown: 8 jobs done, 8 workers reaped'], {
        when: situations.any(situations.ended('deadlock'), situations.stderrMatches(/Uncaught wait/, 2)),
        hint: 'a worker blocked writing into the full pipe exits only once the server reads: a SIGCHLD handler that blocks in wait() ' +
          'keeps the server from reading, so reap with waitpid(-1, {nohang: true})',
      }),
      props.finishes(),
    ]);
  });
}
