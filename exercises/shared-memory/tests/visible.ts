import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('one message', { weight: 1 }, async (t) => {
    await t.run({ programs: [{ entry: 'writer', argv: ['hello'] }, { entry: 'reader', argv: [1] }] }, [
      props.stdoutIs('hello\nattached: 0\n'),
      props.finishes(),
    ]);
  });
}
