import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('one client adds two numbers', { weight: 1 }, async (t) => {
    await t.run({ argv: ['ann 1 2'] }, [props.stdoutLines(['ann +1 = 1', 'ann +2 = 3', 'served 1 connections']), props.finishes()]);
  });
}
