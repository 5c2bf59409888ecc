import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('three jobs, sorted results', { weight: 1 }, async (t) => {
    await t.run({ argv: [4, 1, 3] }, [props.stdoutIs('1 -> 1\n3 -> 6\n4 -> 10\n'), props.finishes()]);
  });
}
