import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('a short message arrives', { weight: 1, partial: false }, async (t) => {
    await t.run({ argv: ['hello'] }, [props.stdoutIs('hello\n'), props.finishes()]);
  });
}
