import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('two increments each', { weight: 1 }, async (t) => {
    await t.run({ argv: [2, 2] }, [props.stdoutIs('counter: 4\n'), props.finishes()]);
  });
}
