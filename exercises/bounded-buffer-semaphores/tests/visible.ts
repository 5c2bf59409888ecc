import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('one producer, one consumer, three items', { weight: 1 }, async (t) => {
    await t.run({ programs: [{ entry: 'producer', argv: [1, 3] }, { entry: 'consumer', argv: [3] }] }, [
      props.stdoutIs('101\n102\n103\n'),
      props.finishes(),
    ]);
  });
}
