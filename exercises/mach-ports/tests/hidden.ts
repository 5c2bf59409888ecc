import type { RunResult } from '../../../kernel/types';
import type { Suite } from '../../../grader/harness';

const CLIENTS = ['ann 1 2 3', 'bob 10 20', 'cy 100 200'];

/** Each client's lines, with its own running total. */
function expected(clients: string[]): string[] {
  return clients.flatMap((spec) => {
    const [name, ...numbers] = spec.split(' ');
    let total = 0;
    return numbers.map((n) => `${name} +${n} = ${(total += Number(n))}`);
  });
}

/** From the trace: the port each client's handshake (msg_rpc on the 'adder' port) returned; a problem, or null. */
function privatePorts(clients: number) {
  return (run: RunResult): string | null => {
    const done = (entry: { blocked?: string; error?: string }) => entry.blocked === undefined && entry.error === undefined;
    const trace = run.trace ?? [];
    const connection = new Set(trace.filter((e) => done(e) && /^mailbox_(create|open)$/.test(e.call) && e.args?.[0] === 'adder').map((e) => e.result));
    const given = new Map<string, unknown>();
    for (const entry of trace) {
      if (entry.call === 'msg_rpc' && done(entry) && connection.has(entry.args?.[0])) given.set(entry.thread.split(':')[0], entry.result);
    }
    if (given.size < clients) {
      return `${given.size} of ${clients} clients connected with msg_rpc on the connection port 'adder' and got a private port back`;
    }
    const owners = new Map<unknown, string>();
    for (const [pid, port] of given) {
      if (connection.has(port)) return `pid ${pid} was handed the connection port itself: each client needs a private port from port_allocate`;
      const other = owners.get(port);
      if (other !== undefined) return `pids ${other} and ${pid} were both handed port ${port}: each client needs a private port of its own`;
      owners.set(port, pid);
    }
    return null;
  };
}

/** A client printed a running total that is not its own: its numbers were added up with another client's. */
const wrongTotal = (clients: string[]) => (run: RunResult): boolean => {
  const allNumbers = clients.flatMap((spec) => spec.split(' ').slice(1)).reduce((sum, n) => sum + Number(n), 0);
  // A sum of numbers has no leading zero and cannot pass the sum of them all; numbers joined as strings do both.
  return run.stdout.split('\n').some((line) => {
    const total = /^\w+ \+\d+ = ([1-9]\d*)$/.exec(line)?.[1];
    return total !== undefined && Number(total) <= allNumbers && !expected(clients).includes(line);
  });
};

export default function tests({ test, props, situations }: Suite) {
  test('each client gets its own running total', { weight: 5 }, async (t) => {
    await t.explore({ argv: CLIENTS, runs: 120 }, [
      props.allDelivered(expected(CLIENTS), {
        when: situations.any(wrongTotal(CLIENTS), situations.ended('deadlock')),
        hint: 'each client must talk to a handler of its own: the server allocates a new private port for every connection and ' +
          'answers the handshake with msg_reply, so the answer reaches the reply port of the client that connected',
      }),
    ]);
  });

  test('the handlers stop and everyone is waited for', { weight: 2, requires: ['one client adds two numbers'] }, async (t) => {
    await t.explore({ argv: ['ann 5', 'bob 6 7'], runs: 100 }, [
      props.finishes({ when: situations.ended('deadlock'), hint: 'a handler must stop when its client says goodbye, and the server must wait for every client and handler' }),
      props.noZombies({ when: situations.zombieOf(2), hint: 'the server must wait for all its children: the clients and the handlers' }),
    ]);
  });

  test('the summary comes last, once every child is done', { weight: 2, requires: ['one client adds two numbers'] }, async (t) => {
    await t.explore({ argv: CLIENTS, runs: 60 }, [
      props.allDelivered([...expected(CLIENTS), `served ${CLIENTS.length} connections`]),
      props.custom('summary last', (run) => {
        const lines = run.stdout.split('\n').filter((line) => line !== '');
        const last = lines[lines.length - 1] ?? '';
        return last === `served ${CLIENTS.length} connections` ? null
          : `the last line was ${JSON.stringify(last)}: the server waits for all its children (clients and handlers) before it prints "served N connections", so that line comes last`;
      }),
    ]);
  });

  test('every client gets a private port of its own', { weight: 1 }, async (t) => {
    const traced = { argv: CLIENTS, runs: 20, trace: true };
    await t.explore(traced, [props.custom('private ports', privatePorts(CLIENTS.length))]);
  });
}
