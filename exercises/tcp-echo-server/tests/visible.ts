import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('one client gets its echo', { weight: 1 }, async (t) => {
    await t.run({
      programs: [{ entry: 'server', argv: ['1'] }, { entry: 'client', host: '10.0.0.2', argv: ['10.0.0.1', 'hello, echo'] }],
    }, [props.stdoutIs('hello, echo\n'), props.finishes()]);
  });
  test('a client started first waits for the server', { weight: 1 }, async (t) => {
    await t.run({
      programs: [{ entry: 'client', host: '10.0.0.2', argv: ['10.0.0.1', 'early bird'] }, { entry: 'server', argv: ['1'] }],
    }, [props.stdoutIs('early bird\n'), props.finishes()]);
  });
}
