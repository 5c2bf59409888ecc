import type { Suite } from '../../../grader/harness';
import type { RunResult } from '../../../kernel/types';

const LONG = 'A stream keeps no message boundaries: this echo may come back in many pieces, or all at once.';
const MESSAGES = ['first client says hello to the echo server', 'second client: a different line of text', 'third client, the last one to be served'];

const client = (host: string, message: string) => ({ entry: 'client', host, argv: ['10.0.0.1', message] });

const PARTIAL_HINT = 'recv returns whatever part of the stream has arrived, not what one send sent: ' +
  'the server must echo until recv returns \'\', and the client must recv until it has as many characters as it sent';

const BOTH_WAIT_HINT = 'the client and the server both wait in recv: the server echoes until the client closes, so the client must stop reading ' +
  'once it has as many characters as it sent, and close its socket';

/** A client and the server are both left waiting in recv: each waits for the other to close. */
const bothInRecv = (run: RunResult): boolean => (run.deadlock?.blocked.filter((b) => b.call === 'recv').length ?? 0) >= 2;

/** Names a client that died on a refused connection, which explains a missing echo better than anything else. */
function refusedClient(run: RunResult): string | null {
  const died = run.processes.find((p) => p.stderr.includes('ECONNREFUSED') || p.stderr.includes('nobody listens'));
  return died ? `the client on ${died.host} gave up when its connect was refused (${died.stderr.trim()}): ` +
    'a client may start before the server listens, and must then sleep and try again' : null;
}

export default function tests({ test, props, situations }: Suite) {
  /** An echo came back in pieces (a line that is no whole message), or a client still waits in recv for the rest of it. */
  const cutIntoPieces = (messages: string[]) => situations.any(situations.strayLine(messages), situations.blockedIn('recv'));
  /** Each message comes back whole, once: in the student's terms when it does not. */
  const wholeEchoes = (messages: string[]) => {
    const lines = props.stdoutLines(messages);
    return props.custom('whole echoes', (run) => {
      const problem = lines.check(run);
      if (problem === null) return null;
      const hint = bothInRecv(run) ? BOTH_WAIT_HINT : cutIntoPieces(messages)(run) ? PARTIAL_HINT : null;
      return refusedClient(run) ?? (hint === null ? problem : `${hint} (${problem})`);
    });
  };

  test('a client prints the whole echo of a long message', { weight: 4 }, async (t) => {
    await t.explore({ programs: [{ entry: 'server', argv: ['1'] }, client('10.0.0.2', LONG)], runs: 150 }, [
      wholeEchoes([LONG]),
      props.finishes({ when: bothInRecv, hint: BOTH_WAIT_HINT }),
    ]);
  });

  test('three clients on three hosts are all served', { weight: 3 }, async (t) => {
    await t.explore({
      programs: [{ entry: 'server', argv: ['3'] }, client('10.0.0.2', MESSAGES[0]), client('10.0.0.3', MESSAGES[1]), client('10.0.0.4', MESSAGES[2])],
      runs: 100,
    }, [wholeEchoes(MESSAGES), props.finishes()]);
  });

  test('a client that starts before the server keeps trying to connect', { weight: 3 }, async (t) => {
    await t.explore({ programs: [client('10.0.0.2', 'x'), { entry: 'server', argv: ['1'] }], runs: 100 }, [
      props.finishes({
        when: situations.stderrMatches(/ECONNREFUSED|nobody listens/),
        hint: 'connect rejects with ECONNREFUSED while nobody listens on the port: the client must close that socket, ' +
          'sleep a little and try again with a new one',
      }),
      props.stdoutIs('x\n'),
    ]);
  });

  test('every socket is closed and every helper reaped', { weight: 2, requires: ['one client gets its echo'] }, async (t) => {
    await t.explore({ programs: [{ entry: 'server', argv: ['2'] }, client('10.0.0.2', 'a'), client('10.0.0.3', 'b')], runs: 40 }, [
      props.stdoutLines(['a', 'b']),
      props.noLeakedFds({
        when: situations.leftOpen(),
        hint: 'close each accepted connection when it is served (in a forking server, in the parent as well as in the child), ' +
          'the listening socket when the server is done, and the client\'s socket',
      }),
      props.noZombies({ when: situations.zombieOf(2), hint: 'a server that forks a child per client must wait for each of them' }),
    ]);
  });
}
