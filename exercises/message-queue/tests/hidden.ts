import type { RunResult } from '../../../kernel/types';
import type { Suite } from '../../../grader/harness';

const NUMBERS = [3, 5, 7, 11];
const EXPECTED = [...NUMBERS.map((n) => `${n} squared is ${n * n}`), `served ${NUMBERS.length} requests`];

/** The queues msgget handed out that a successful msgctl(IPC_RMID) never removed, from the run's trace. */
function queuesLeft(run: RunResult): string | null {
  if (run.status !== 'ok') return null; // a run that did not finish says so in the other tests
  const made = new Map<number, unknown>();
  const removed = new Set<number>();
  for (const entry of run.trace ?? []) {
    if (entry.error !== undefined || entry.blocked !== undefined) continue;
    if (entry.call === 'msgget' && typeof entry.result === 'number') made.set(entry.result, entry.args?.[0]);
    if (entry.call === 'msgctl' && entry.args?.[1] === 'IPC_RMID' && typeof entry.args[0] === 'number') removed.add(entry.args[0]);
  }
  if (made.size === 0) return 'the program never created the message queue with msgget';
  const left = [...made].filter(([qid]) => !removed.has(qid));
  if (left.length === 0) return null;
  return 'the message queue outlives the program: a System V queue stays in the system until msgctl(qid, \'IPC_RMID\') removes it ' +
    `(never removed: ${left.map(([qid, key]) => `queue ${qid}, key ${JSON.stringify(key)}`).join('; ')})`;
}

/** A msgget that asked for more room than the exercise's 2 places, dodging the full queue. */
function biggerQueue(run: RunResult): string | null {
  for (const entry of run.trace ?? []) {
    const capacity = entry.call === 'msgget' ? (entry.args?.[1] as { capacity?: unknown } | undefined)?.capacity : undefined;
    if (capacity === undefined || (typeof capacity === 'number' && capacity <= 2)) continue;
    return `msgget asked for a capacity of ${String(capacity)}: create the queue with msgget('squares') and its default size (2), ` +
      'and make the server cope with a full queue';
  }
  return null;
}

/** Every client printed one answer line (right or wrong: whose reply it took is the first test's concern). */
function everyClientAnswered(numbers: number[]) {
  return (run: RunResult): string | null => {
    const lines = run.stdout.split('\n');
    const silent = numbers.filter((n) => lines.filter((line) => line.startsWith(`${n} squared is `)).length !== 1);
    if (silent.length === 0) return null;
    return `the client${silent.length > 1 ? 's' : ''} for ${silent.join(', ')} never printed a reply`;
  };
}

export default function tests({ test, props, situations }: Suite) {
  test('each client receives its own reply', { weight: 4 }, async (t) => {
    await t.explore({ argv: NUMBERS, msgqueueCapacity: 8, runs: 100 }, [
      props.stdoutLines(EXPECTED, {
        when: situations.any(situations.strayLine(EXPECTED), situations.blockedIn('msgrcv')),
        hint: 'a client must take the reply addressed to it: msgrcv with its own pid as the type, and the server must send each reply with the pid of the client that asked',
      }),
    ]);
  });

  test('no reply is lost when the queue is full', { weight: 4, partial: false }, async (t) => {
    const full = 'the queue holds fewer messages than there are clients, so it can fill up with requests: ';
    const repliesKept = {
      diagnoses: [
        { when: situations.blockedIn('msgsnd', 2), hint: `${full}the server must not block waiting for room that only it can make; keep the reply and send it later` },
        { when: situations.blockedIn('msgrcv'), hint: `${full}a reply the queue cannot take now must be kept and sent later, not dropped` },
      ],
    };
    await t.explore({ argv: NUMBERS, msgqueueCapacity: 2, runs: 100 }, [props.finishes(repliesKept), props.custom('every client answered', everyClientAnswered(NUMBERS))]);
    await t.explore({ argv: [2, 4, 6], msgqueueCapacity: 1, runs: 30 }, [props.finishes(repliesKept), props.custom('every client answered', everyClientAnswered([2, 4, 6]))]);
    const traced = { argv: NUMBERS, trace: true };
    await t.run(traced, [props.custom('queue of the default size', biggerQueue)]);
  });

  test('the server removes the queue and reaps its clients', { weight: 2 }, async (t) => {
    const traced = { argv: NUMBERS, msgqueueCapacity: 8, runs: 20, trace: true };
    await t.explore(traced, [
      props.stdoutLines(EXPECTED),
      props.custom('server line last', (run) => {
        const lines = run.stdout.split('\n').filter((line) => line !== '');
        const last = lines[lines.length - 1] ?? '';
        return last === EXPECTED[EXPECTED.length - 1] ? null
          : `the last line was ${JSON.stringify(last)}: the server waits for all its clients before it prints "${EXPECTED[EXPECTED.length - 1]}", so its line comes last`;
      }),
      props.custom('queue removed', queuesLeft, { kind: 'hygiene' }),
      props.noZombies({ when: situations.zombieOf(2), hint: 'the server must wait for every client it forked' }),
    ]);
  });
}
