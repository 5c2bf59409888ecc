import type { Suite } from '../../../grader/harness';

const LONG = 'The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over the lazy dog.';

export default function tests({ test, props }: Suite) {
  test('parent prints the whole message under every schedule', { weight: 4 }, async (t) => {
    await t.explore({ argv: [LONG], runs: 200 }, [props.stdoutIs(`${LONG}\n`)]);
  });
  test('no deadlock', { weight: 2, requires: ['a short message arrives'] }, async (t) => {
    await t.explore({ argv: [LONG], runs: 100 }, [
      props.noDeadlock({ hint: 'the parent must close its own write end, or its read never sees end of file' }),
    ]);
  });
  test('the child is reaped', { weight: 1, requires: ['a short message arrives'] }, async (t) => {
    await t.explore({ argv: ['bye'], runs: 50 }, [props.noZombies({ hint: 'the parent must wait for its child' })]);
  });
  test('no descriptor is left open', { weight: 1, requires: ['a short message arrives'] }, async (t) => {
    await t.explore({ argv: ['bye'], runs: 50 }, [props.noLeakedFds({ hint: 'each process must close the pipe ends it holds' })]);
  });
}
