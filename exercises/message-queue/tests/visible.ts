import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('two clients get their squares', { weight: 1 }, async (t) => {
    await t.run({ argv: [4, 6], msgqueueCapacity: 8 }, [
      props.stdoutLines(['4 squared is 16', '6 squared is 36', 'served 2 requests']),
      props.finishes(),
    ]);
  });
}
