import type { Suite } from '../../../grader/harness';
import type { Property } from '../../../grader/properties';
import type { RunResult } from '../../../kernel/types';

type Call = [string, ...unknown[]];

/** The line the client prints for a call, as the statement says. */
function line([proc, ...args]: Call): string {
  const result = proc === 'add' ? (args[0] as number) + (args[1] as number)
    : proc === 'concat' ? String(args[0]) + String(args[1]) : String(args[0]).toUpperCase();
  return `${proc}(${args.map((a) => JSON.stringify(a)).join(', ')}) = ${JSON.stringify(result)}`;
}

const CLIENT_HOST = '10.0.0.2';
const session = (...threads: Call[][]) => [{ entry: 'server' }, { entry: 'client', host: '10.0.0.2', argv: ['10.0.0.1', ...threads] }];
const output = (calls: Call[]) => calls.map((c) => `${line(c)}\n`).join('');

const PLAIN: Call[] = [['add', 2, 3], ['concat', 'foo', 'bar'], ['upper', 'rpc'], ['add', 40, 2]];
const SEPARATORS: Call[] = [
  ['concat', 'a,b', 'c|d'],
  ['upper', 'line one\nline two'],
  ['concat', '{"id": 7}', ': 12:'],
  ['upper', '3|4,5\n6 "quoted" \\ back'],
  ['add', -1.5, 2],
];
const LONG_A = 'the quick brown fox jumps over the lazy dog '.repeat(3);
const LONG_B = 'pack my box with five dozen liquor jugs '.repeat(3);
const LONG: Call[] = [['concat', LONG_A, LONG_B], ['upper', LONG_B], ['concat', LONG_B, LONG_A]];
const LEFT: Call[] = [['add', 1, 1], ['upper', 'left'], ['concat', 'le', 'ft']];
const RIGHT: Call[] = [['upper', 'right'], ['add', 100, 200], ['concat', 'ri', 'ght']];

/** A process that died of an exception explains a wrong output best: name it first. */
function explained(property: Property): Property {
  const crash = (run: RunResult): string | null => {
    const died = run.processes.find((p) => p.stderr.includes('Uncaught'));
    return died ? `the ${died.host === '10.0.0.1' ? 'server' : 'client'} died: ${died.stderr.trim().split('\n')[0]}` : null;
  };
  return {
    name: property.name,
    kind: property.kind,
    check(run) {
      const problem = property.check(run);
      const cause = problem === null ? null : crash(run);
      return cause === null ? problem : `${cause}; ${problem}`;
    },
  };
}

export default function tests({ test, props, situations }: Suite) {
  /** The calls' results came out wrong, or a side died reading them: the marshalling or the framing broke. */
  const garbled = (calls: Call[]) => situations.any((run) => !output(calls).startsWith(run.stdout), situations.stderrMatches(/Uncaught/));

  test('plain calls return the right results', { weight: 2 }, async (t) => {
    await t.explore({ programs: session(PLAIN), runs: 100 }, [explained(props.stdoutIs(output(PLAIN))), props.finishes()]);
  });

  test('arguments with separators survive marshalling', { weight: 3 }, async (t) => {
    await t.explore({ programs: session(SEPARATORS), runs: 100 }, [
      explained(props.stdoutIs(output(SEPARATORS), {
        when: garbled(SEPARATORS),
        hint: 'a string argument may contain commas, pipes, colons, quotes and newlines: a format that splits on a separator breaks; ' +
          'marshal with JSON and frame each message by its length',
      })),
    ]);
  });

  test('each reply reaches the call that made it', { weight: 4 }, async (t) => {
    await t.explore({ programs: session(LEFT, RIGHT), runs: 150 }, [
      props.finishes({
        when: situations.blockedIn('recv', undefined, CLIENT_HOST),
        hint: 'a call never got its answer. With two threads calling, one recv may bring the end of one message and the start ' +
          'of the next: keep those characters for the next message, and do not leave a complete reply in a buffer while its ' +
          'caller waits in recv (one reader thread that hands each reply to the caller with its id avoids both)',
      }),
      explained(props.stdoutLines([...LEFT, ...RIGHT].map(line), {
        when: situations.strayLine([...LEFT, ...RIGHT].map(line)),
        hint: 'two threads call over one connection: a reply must go to the call with its id, not to whichever thread reads first',
      })),
    ]);
  });

  test('long messages cut by the stream are reassembled', { weight: 3 }, async (t) => {
    await t.explore({ programs: session(LONG), runs: 100 }, [
      explained(props.stdoutIs(output(LONG), {
        when: garbled(LONG),
        hint: 'one recv may return part of a message, or the end of one and the start of the next: ' +
          'keep what you have received in a buffer and take a message out only when all of it is there',
      })),
      props.finishes(),
    ]);
  });

  test('every socket is closed', { weight: 1, requires: ['two plain calls from one thread'] }, async (t) => {
    await t.explore({ programs: session(PLAIN.slice(0, 2), PLAIN.slice(2)), runs: 30 }, [
      props.stdoutLines(PLAIN.map(line)),
      props.noLeakedFds({ when: situations.leftOpen(), hint: 'the server must close the listening socket and the connection; the client its socket' }),
    ]);
  });
}
