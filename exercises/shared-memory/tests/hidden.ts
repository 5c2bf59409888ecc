import type { Suite } from '../../../grader/harness';
import type { Situation } from '../../../grader/properties';
import type { RunResult } from '../../../kernel/types';

const exchange = (messages: string[]) => ({
  programs: [{ entry: 'writer', argv: messages }, { entry: 'reader', argv: [messages.length] }],
});

const outputLines = (run: RunResult): string[] => run.stdout.split('\n').slice(0, -1);
const isCount = (line: string): boolean => line.startsWith('attached: ');

/** Why the run did not end normally, in a few words, or ''. */
function ending(run: RunResult): string {
  if (run.status === 'ok') return '';
  const why = run.status === 'deadlock' ? 'the processes deadlocked' : `the run ended with status ${run.status}`;
  const stderr = run.stderr ? `; stderr: ${JSON.stringify(run.stderr.slice(0, 200))}` : '';
  return ` (${why}${stderr})`;
}

export default function tests({ test, props, situations }: Suite) {
  /** The reader's message lines (every line but the `attached:` ones) are exactly `messages`; the hint when its situation matches. */
  const messagesArrive = (messages: string[], explanation: { when: Situation; hint: string }) =>
    props.custom('messages', (run) => {
      const got = outputLines(run).filter((line) => !isCount(line));
      if (run.status === 'ok' && JSON.stringify(got) === JSON.stringify(messages)) return null;
      return `the reader printed ${JSON.stringify(got)} instead of ${JSON.stringify(messages)}${ending(run)}`;
    }, explanation);

  test('the reader prints the message under every schedule', { weight: 3 }, async (t) => {
    await t.explore({ ...exchange(['hello, world']), runs: 100 }, [
      messagesArrive(['hello, world'], {
        when: situations.ended('ok'),
        hint: 'the reader must print exactly what the writer stored; post `ready` only after the last store',
      }),
    ]);
  });

  // A program that stores nothing has no race either: the test counts once a message gets through.
  test('no data race: the reader loads only after the writer has stored', { weight: 2, requires: ['one message'] }, async (t) => {
    await t.explore({ ...exchange(['race']), runs: 50 }, [
      props.noRace({ when: situations.raceOn(), hint: 'the writer must store the whole message before it posts `ready`, and the reader must load only after its sem_wait' }),
    ]);
  });

  test('both processes detach before the segment is removed', { weight: 2 }, async (t) => {
    const messages = ['one', 'two'];
    await t.explore({ ...exchange(messages), runs: 30 }, [
      props.custom('nattch is 0', (run) => {
        const counts = outputLines(run).filter(isCount);
        const wrong = counts.find((line) => line !== 'attached: 0');
        if (wrong) {
          return `the reader printed "${wrong}" after its shmdt: a process still has the segment attached (the writer must shmdt before posting \`ready\`, the reader before IPC_STAT)`;
        }
        if (counts.length !== messages.length) {
          return `the reader printed ${counts.length} "attached: N" lines for ${messages.length} messages${ending(run)}`;
        }
        return null;
      }),
    ]);
  });

  test('several messages, each in a fresh segment that is removed afterwards', { weight: 3 }, async (t) => {
    const messages = ['hi', 'hello', 'shared memory'];
    await t.explore({ ...exchange(messages), runs: 40 }, [
      messagesArrive(messages, {
        when: situations.stderrMatches(/EINVAL/),
        hint: 'each message needs a segment of its own size: the reader must remove (IPC_RMID) each segment, or the next, longer shmget of the key fails with EINVAL',
      }),
    ]);
  });

  test('nothing is left behind: every process detaches and every segment is removed', { weight: 2, requires: ['one message'] }, async (t) => {
    await t.explore({ ...exchange(['hi', 'hello']), runs: 30 }, [
      props.stdoutIs('hi\nattached: 0\nhello\nattached: 0\n'),
      props.noLeakedSegments({
        diagnoses: [
          { when: situations.leftAttached(), hint: 'each process must shmdt every segment it attached before it exits' },
          { when: situations.leftUnremoved(), hint: 'the reader must remove each segment with shmctl(IPC_RMID)' },
        ],
      }),
    ]);
  });
}
