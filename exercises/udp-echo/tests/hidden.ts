import type { Suite } from '../../../grader/harness';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
const EXPECTED = WORDS.map((word, i) => `${i + 1} ${word}\n`).join('');
const CLIENT_HOST = '10.0.0.2';
const PROGRAMS = [{ entry: 'server' }, { entry: 'client', host: CLIENT_HOST, argv: ['10.0.0.1', ...WORDS] }];

export default function tests({ test, props, situations }: Suite) {
  /** The client is left waiting in recvfrom for an echo that never comes. */
  const clientWaits = situations.blockedIn('recvfrom', undefined, CLIENT_HOST);
  test('echoes come back on a reliable network', { weight: 2 }, async (t) => {
    await t.explore({ programs: PROGRAMS, network: {}, runs: 30 }, [
      props.stdoutIs(EXPECTED),
      props.finishes({
        when: clientWaits,
        hint: 'even without faults, a datagram the client sends before the server has bound its port is dropped: ' +
          'the client must time out and send it again',
      }),
    ]);
  });

  test('a lost datagram is sent again', { weight: 4 }, async (t) => {
    await t.explore({ programs: PROGRAMS, network: { loss: 0.3 }, runs: 120 }, [
      props.finishes({
        diagnoses: [
          { when: clientWaits, hint: 'when a request or its echo is lost, recvfrom waits forever unless an alarm interrupts it: the client must time out and send again' },
          {
            when: situations.all(situations.blockedIn('recvfrom', 2, '10.0.0.1'), situations.exited(2, CLIENT_HOST)),
            hint: 'the client left while the server still waits for quit: a quit (or its echo) can be lost too, so the client must keep offering quit until the server confirms it',
          },
        ],
      }),
      props.stdoutIs(EXPECTED),
    ]);
  });

  test('each echo is matched to its request under duplication and reordering', { weight: 4 }, async (t) => {
    await t.explore({ programs: PROGRAMS, network: { duplicate: 0.3, reorder: 0.3 }, runs: 150 }, [
      props.stdoutIs(EXPECTED, {
        when: (run) => !EXPECTED.startsWith(run.stdout),
        hint: 'a duplicated or late echo belongs to an earlier message: check its number and skip it instead of taking it for the echo of the current one',
      }),
    ]);
  });

  test('every fault at once, and both sockets closed', { weight: 2 }, async (t) => {
    await t.explore({ programs: PROGRAMS, network: { loss: 0.2, duplicate: 0.2, reorder: 0.2 }, runs: 100 }, [
      props.stdoutIs(EXPECTED, {
        when: situations.killedBy('SIGALRM'),
        hint: 'SIGALRM killed the client: install a SIGALRM handler (sys.signal) before you set an alarm, or the alarm ends the process',
      }),
      props.finishes(),
      props.noLeakedFds({ when: situations.leftOpen(), hint: 'the server and the client must each close their socket before they exit' }),
    ]);
  });

  test('the client gives up offering quit after 10 tries', { weight: 1 }, async (t) => {
    // No server at all: no quit is ever echoed. A few steps suffice for ten tries; an endless offer is cut short.
    await t.explore({ programs: [{ entry: 'client', host: '10.0.0.2', argv: ['10.0.0.1'] }], network: {}, maxSteps: 3000, runs: 3, trace: true }, [
      props.finishes({ when: situations.any(situations.ended('step-limit'), clientWaits), hint: 'when no echo of quit comes back, the server has stopped anyway: after 10 tries the client gives up, closes its socket and returns 0' }),
      props.custom('at most 10 tries', (run) => {
        const quits = (run.trace ?? []).filter((entry) => entry.call === 'sendto' && entry.args?.[1] === 'quit').length;
        return quits <= 10 ? null : `the client sent quit ${quits} times; it offers quit at most 10 times`;
      }),
    ]);
  });

  test('the server echoes quit before it stops', { weight: 1 }, async (t) => {
    // One run on a reliable network: quit always reaches the server. Its threads are the ones the trace names without a host.
    await t.run({ programs: PROGRAMS, network: {}, trace: true }, [
      props.custom('quit echoed', (run) => {
        const echoed = (run.trace ?? []).some((entry) => entry.call === 'sendto' && entry.args?.[1] === 'quit' &&
          entry.error === undefined && !entry.thread.startsWith('10.0.0.2:'));
        return echoed ? null : 'the server never sent quit back: it echoes quit like any other datagram, then closes its socket and returns 0';
      }),
      props.finishes(),
    ]);
  });
}
