import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('two stages: echo | tr', { weight: 1 }, async (t) => {
    await t.run({ argv: ['echo hello world', 'tr a-z A-Z'] }, [props.stdoutIs('HELLO WORLD\n'), props.finishes()]);
  });
  test('the status of a failing last stage', { weight: 1 }, async (t) => {
    await t.run({ argv: ['echo hello', 'false'] }, [props.exitStatus(1), props.finishes()]);
  });
}
