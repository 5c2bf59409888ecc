import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('two plain calls from one thread', { weight: 1 }, async (t) => {
    await t.run({
      programs: [{ entry: 'server' }, { entry: 'client', host: '10.0.0.2', argv: ['10.0.0.1', [['add', 2, 3], ['upper', 'hello']]] }],
    }, [props.stdoutIs('add(2, 3) = 5\nupper("hello") = "HELLO"\n'), props.finishes()]);
  });
  test('a string with a comma', { weight: 1 }, async (t) => {
    await t.run({
      programs: [{ entry: 'server' }, { entry: 'client', host: '10.0.0.2', argv: ['10.0.0.1', [['concat', 'a,b', 'c']]] }],
    }, [props.stdoutIs('concat("a,b", "c") = "a,bc"\n'), props.finishes()]);
  });
}
