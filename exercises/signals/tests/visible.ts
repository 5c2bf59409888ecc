import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('two workers, then Ctrl-C', { weight: 1 }, async (t) => {
    await t.run({ programs: [{ entry: 'default', argv: ['2'] }, { entry: 'operator', argv: [2, 100] }] }, [
      props.stdoutLines(['job 1 done', 'job 2 done', 'worker 1 reaped', 'worker 2 reaped', 'shutdown: 2 jobs done, 2 workers reaped']),
      props.exitStatus(0),
      props.finishes(),
    ]);
  });
}
