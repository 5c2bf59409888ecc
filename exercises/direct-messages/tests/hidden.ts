import type { Suite } from '../../../grader/harness';
import type { RunResult } from '../../../kernel/types';

const CLIENTS = ['ant bee cat', 'dog eel fox', 'gnu hen owl'];
const WORDS = CLIENTS.flatMap((list) => list.split(' '));
const EXPECTED = [...WORDS.map((word) => `${word} -> ${word.toUpperCase()}`), `served ${WORDS.length} requests`];

/** The clients, forked by the server (pid 2) in order. */
const CLIENT_PIDS = CLIENTS.map((_, index) => 3 + index);

/** A client printed an answer that is not its own word's: the answer went to the wrong client. */
const answeredWrongly = (run: RunResult): boolean => run.stdout.split('\n').some((line) => {
  const answer = /^(\w+) -> (\w+)$/.exec(line);
  return answer !== null && answer[2] !== answer[1].toUpperCase();
});

export default function tests({ test, props, situations }: Suite) {
  /** Every word got an answer line (whether it is the right answer is the last test's concern). */
  const everyWordAnswered = props.custom('every word answered', (run) => {
    const lines = run.stdout.split('\n');
    const unanswered = WORDS.filter((word) => !lines.some((line) => line.startsWith(`${word} -> `)));
    return unanswered.length === 0 ? null : `no answer was printed for ${unanswered.map((word) => `'${word}'`).join(', ')}`;
  });

  test('no deadlock with rendezvous links (capacity 0)', { weight: 3 }, async (t) => {
    await t.explore({ argv: CLIENTS, linkCapacity: 0, runs: 100 }, [
      props.finishes({
        diagnoses: [
          {
            when: situations.any(...CLIENT_PIDS.map((pid) => situations.blockedIn('send_to', pid))),
            hint: 'with capacity 0 every send_to waits until the other side receives it, and the server sends only to a client that waits for ' +
              'its answer: a client must not send its next word before it has received the answer to the last one',
          },
          {
            when: situations.allBlockedIn('receive_from'),
            hint: 'every process waits in receive_from, so a message was lost: with capacity 0 an answer sent with nowait is lost unless the ' +
              'client is already waiting for it (and so is a word, unless the server is)',
          },
        ],
      }),
      everyWordAnswered,
    ]);
  });

  test('no deadlock with bounded links (capacity 2)', { weight: 2 }, async (t) => {
    await t.explore({ argv: CLIENTS, linkCapacity: 2, runs: 100 }, [
      props.finishes({
        when: situations.allBlockedIn('receive_from'),
        hint: 'every process waits in receive_from, so a message was lost: a link holds 2 messages, and a send_to to a full link waits until ' +
          'the receiver takes one, unless it was sent with nowait: then it fails, and the message is not sent',
      }),
      everyWordAnswered,
    ]);
  });

  test('no deadlock with unbounded links', { weight: 1 }, async (t) => {
    await t.explore({ argv: CLIENTS, linkCapacity: Infinity, runs: 100 }, [props.finishes(), everyWordAnswered]);
  });

  test('each answer goes back to the client that asked', { weight: 4 }, async (t) => {
    const misdirected = { when: answeredWrongly, hint: 'the server must answer the pid its request came from ({from} of receive_from), whichever client happened to send first' };
    await t.explore({ argv: CLIENTS, linkCapacity: 2, runs: 60 }, [props.stdoutLines(EXPECTED, misdirected)]);
    await t.explore({ argv: CLIENTS, linkCapacity: Infinity, runs: 50 }, [props.stdoutLines(EXPECTED, misdirected)]);
  });

  test('the server waits for its clients, then prints its count last', { weight: 2, requires: ['two clients, rendezvous links'] }, async (t) => {
    await t.explore({ argv: CLIENTS, linkCapacity: 2, runs: 60 }, [
      props.stdoutLines(EXPECTED),
      props.custom('count last', (run) => {
        const lines = run.stdout.split('\n').filter((line) => line !== '');
        const last = lines[lines.length - 1] ?? '';
        return last === `served ${WORDS.length} requests` ? null
          : `the last line was ${JSON.stringify(last)}: the server waits for every client before it prints "served ${WORDS.length} requests", so that line comes last`;
      }),
      props.noZombies({ when: situations.zombieOf(2), hint: 'the server must wait for each of its clients' }),
    ]);
  });
}
