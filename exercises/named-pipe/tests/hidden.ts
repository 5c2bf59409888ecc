import type { RunResult } from '../../../kernel/types';
import type { Suite } from '../../../grader/harness';

const LINES = ['roses are red', 'pipes have two ends', 'open them in order', 'or wait forever'];
const MESSAGE = LINES.map((line) => `${line}\n`).join('');

/** The two ways to start the pair, with the pid each one gets. */
const ORDERS = [
  { programs: [{ entry: 'reader' }, { entry: 'writer', argv: LINES }], reader: 2, writer: 3, name: 'reader started first' },
  { programs: [{ entry: 'writer', argv: LINES }, { entry: 'reader' }], reader: 3, writer: 2, name: 'writer started first' },
];

const outputOf = (run: RunResult, pid: number): string => run.processes.find((p) => p.pid === pid)?.stdout ?? '';
const quote = (text: string): string => JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
const stuck = (run: RunResult): string => (run.status === 'ok' ? '' : `; the run ended as ${run.status}${run.message ? `: ${run.message}` : ''}`);

export default function tests({ test, props, situations }: Suite) {
  test('the reader prints every line, whichever process starts first', { weight: 3 }, async (t) => {
    for (const order of ORDERS) {
      await t.explore({ programs: order.programs, runs: 50 }, [
        props.custom(`reader prints the message (${order.name})`, (run) => {
          const out = outputOf(run, order.reader);
          if (out.startsWith(MESSAGE)) return null;
          const advice = run.status === 'ok' ? ': read until end of file, one read returns only what the FIFO holds at that moment' : stuck(run);
          return `the reader (pid ${order.reader}) printed ${quote(out)}, which does not start with all ${LINES.length} lines ${quote(MESSAGE)}${advice}`;
        }),
      ]);
    }
  });

  test('no deadlock, whichever process starts first', { weight: 2 }, async (t) => {
    for (const order of ORDERS) {
      await t.explore({ programs: order.programs, runs: 30 }, [
        props.noDeadlock({ when: situations.blockedIn('open'), hint: `both processes must create both FIFOs, whoever starts first, then open /tmp/rendezvous.fifo first and /tmp/rendezvous.reply second (here the ${order.name})` }),
      ]);
    }
  });

  test("the writer prints the reader's reply", { weight: 1 }, async (t) => {
    for (const order of ORDERS) {
      await t.explore({ programs: order.programs, runs: 20 }, [
        props.custom(`writer prints the reply (${order.name})`, (run) => {
          const out = outputOf(run, order.writer);
          const want = `received ${LINES.length} lines\n`;
          return out === want ? null : `the writer (pid ${order.writer}) printed ${quote(out)}, not ${quote(want)}${stuck(run)}`;
        }),
      ]);
    }
  });

  test('the FIFOs are gone at the end: ls /tmp shows only notes.txt', { weight: 2 }, async (t) => {
    for (const order of ORDERS) {
      await t.explore({ programs: order.programs, runs: 20 }, [
        props.custom(`/tmp is clean (${order.name})`, (run) => {
          const out = outputOf(run, order.reader);
          const left = out.split('\n').filter((line) => line.startsWith('rendezvous.'));
          if (left.length > 0) return `ls /tmp still lists ${left.join(' and ')}: unlink both FIFOs once both processes have opened them`;
          return out.endsWith('\nnotes.txt\n') ? null
            : `the reader's output ${quote(out)} does not end with the listing of /tmp ("notes.txt"): the reader ends by exec-ing ls /tmp${stuck(run)}`;
        }),
      ]);
    }
  });

  test('no descriptor is left open', { weight: 1, requires: ['the reader prints every line, whichever process starts first'] }, async (t) => {
    for (const order of ORDERS) {
      await t.explore({ programs: order.programs, runs: 15 }, [
        props.custom(`the conversation happened (${order.name})`, (run) => (outputOf(run, order.writer) === `received ${LINES.length} lines\n` ? null
          : `the writer (pid ${order.writer}) printed ${quote(outputOf(run, order.writer))}, not the reply "received ${LINES.length} lines"${stuck(run)}`)),
        props.noLeakedFds({ hint: 'close both FIFO descriptors before exec: ls keeps every descriptor the reader still holds', when: (run) => run.openFds.some((f) => f.pid === order.reader) }),
      ]);
    }
  });
}
