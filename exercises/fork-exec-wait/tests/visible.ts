import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('the child lists /home, then the parent prints Child Complete', { weight: 1 }, async (t) => {
    await t.run({}, [props.stdoutIs('Makefile\nhello.c\nnotes.txt\nChild Complete\n'), props.finishes()]);
  });
}
