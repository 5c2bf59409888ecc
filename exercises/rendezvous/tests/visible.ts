import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('one round', { weight: 1 }, async (t) => {
    await t.run({ argv: [['ping'], ['pong']] }, [
      props.stdoutLines(['parent round 1: sent ping, got pong', 'child round 1: sent pong, got ping']),
      props.finishes(),
    ]);
  });
}
