import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('two clients, rendezvous links', { weight: 1 }, async (t) => {
    await t.run({ argv: ['ant bee', 'cat dog'], linkCapacity: 0 }, [
      props.stdoutLines(['ant -> ANT', 'bee -> BEE', 'cat -> CAT', 'dog -> DOG', 'served 4 requests']),
      props.finishes(),
    ]);
  });
}
