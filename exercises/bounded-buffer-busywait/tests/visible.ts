import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('three items arrive in order', { weight: 1 }, async (t) => {
    await t.run({ programs: [{ entry: 'producer', argv: [3] }, { entry: 'consumer', argv: [3] }] }, [
      props.stdoutIs('1\n2\n3\n'),
      props.finishes(),
    ]);
  });
}
