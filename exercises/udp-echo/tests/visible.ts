import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('three echoes on a reliable network', { weight: 1 }, async (t) => {
    await t.run({
      network: {},
      programs: [{ entry: 'server' }, { entry: 'client', host: '10.0.0.2', argv: ['10.0.0.1', 'alpha', 'beta', 'gamma'] }],
    }, [props.stdoutIs('1 alpha\n2 beta\n3 gamma\n'), props.finishes()]);
  });
  test('one echo with a lossy network', { weight: 1 }, async (t) => {
    await t.run({
      network: { loss: 0.5 }, seed: 3,
      programs: [{ entry: 'server' }, { entry: 'client', host: '10.0.0.2', argv: ['10.0.0.1', 'hello'] }],
    }, [props.stdoutIs('1 hello\n'), props.finishes()]);
  });
}
