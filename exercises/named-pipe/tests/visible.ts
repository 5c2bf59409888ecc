import type { Suite } from '../../../grader/harness';

export default function tests({ test, props }: Suite) {
  test('one line gets through', { weight: 1 }, async (t) => {
    await t.run({ programs: [{ entry: 'reader' }, { entry: 'writer', argv: ['hello'] }] }, [
      props.finishes(),
      props.custom('reader output', (run) => {
        const out = run.processes.find((p) => p.pid === 2)?.stdout ?? '';
        return out === 'hello\nnotes.txt\n' ? null : `the reader (pid 2) printed ${JSON.stringify(out)}, not "hello\\nnotes.txt\\n"`;
      }),
      props.custom('writer output', (run) => {
        const out = run.processes.find((p) => p.pid === 3)?.stdout ?? '';
        return out === 'received 1 lines\n' ? null : `the writer (pid 3) printed ${JSON.stringify(out)}, not "received 1 lines\\n"`;
      }),
    ]);
  });
}
