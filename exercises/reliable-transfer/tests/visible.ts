import type { Suite } from '../../../grader/harness';

const CHUNKS = ['It was', 'the best of times,', 'it was the worst of times.'];
const programs = [{ entry: 'receiver' }, { entry: 'sender', host: '10.0.0.2', argv: ['10.0.0.1', ...CHUNKS] }];

export default function tests({ test, props }: Suite) {
  test('three chunks over a reliable network', { weight: 1 }, async (t) => {
    await t.run({ programs, network: {} }, [props.stdoutIs(CHUNKS.map((c) => `${c}\n`).join('')), props.finishes()]);
  });
  test('three chunks over a lossy network', { weight: 1 }, async (t) => {
    // A few schedules and fates of the datagrams, so that one lucky run does not decide.
    await t.explore({ programs, network: { loss: 0.4 }, runs: 5 }, [props.stdoutIs(CHUNKS.map((c) => `${c}\n`).join('')), props.finishes()]);
  });
}
