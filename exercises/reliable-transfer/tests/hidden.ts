import type { Suite } from '../../../grader/harness';

const CHUNKS = ['Call me Ishmael.', 'Some years ago', '- never mind how long precisely -', 'having little or no money', 'in my purse,'];
const REPEATS = ['tick', 'tock', 'tick', 'tick', 'tock'];
const text = (chunks: string[]) => chunks.map((c) => `${c}\n`).join('');
const transfer = (chunks: string[]) => [{ entry: 'receiver' }, { entry: 'sender', host: '10.0.0.2', argv: ['10.0.0.1', ...chunks] }];

export default function tests({ test, props }: Suite) {
  test('every chunk arrives, in order, over a lossy network', { weight: 3 }, async (t) => {
    await t.explore({ programs: transfer(CHUNKS), network: { loss: 0.3 }, runs: 120 }, [
      props.stdoutIs(text(CHUNKS)),
      props.finishes({
        hint: 'a lost frame or a lost acknowledgement must be repaired: the sender times out (alarm) and sends the frame again, ' +
          'and the receiver acknowledges every copy it gets, even one it has already printed',
      }),
    ]);
  });

  test('no chunk is printed twice when datagrams are duplicated', { weight: 3 }, async (t) => {
    await t.explore({ programs: transfer(CHUNKS), network: { duplicate: 0.3, loss: 0.2 }, runs: 120 }, [
      props.allDelivered(CHUNKS, {
        hint: 'a copy of a frame (duplicated by the network, or sent again after a lost acknowledgement) must be acknowledged ' +
          'but not printed again: number the frames and print only the one the receiver expects next',
      }),
      props.stdoutIs(text(CHUNKS)),
    ]);
  });

  test('equal chunks are each printed', { weight: 2 }, async (t) => {
    await t.explore({ programs: transfer(REPEATS), network: { duplicate: 0.2, loss: 0.2 }, runs: 100 }, [
      props.stdoutIs(text(REPEATS), {
        hint: 'two chunks may have the same text: recognise a repeat by its sequence number, not by its contents',
      }),
    ]);
  });

  test('a late copy of an old frame is not taken for a new one', { weight: 3 }, async (t) => {
    await t.explore({ programs: transfer(CHUNKS), network: { duplicate: 0.3, reorder: 0.5, loss: 0.2 }, runs: 150 }, [
      props.stdoutIs(text(CHUNKS), {
        hint: 'this network reorders: a copy of an old frame or acknowledgement can arrive late, with the parity of the current one, ' +
          'so an alternating bit is not enough; count the sequence numbers up',
      }),
    ]);
  });

  test('both sides learn that the transfer is complete', { weight: 3 }, async (t) => {
    await t.explore({ programs: transfer(CHUNKS), network: { loss: 0.3, duplicate: 0.1, reorder: 0.1 }, runs: 120 }, [
      props.exitStatus(0, {
        pid: 2, host: '10.0.0.2',
        hint: 'the sender gave up: one of its frames went unacknowledged try after try. Most often the receiver left right after ' +
          'the end of the transfer, and the sender never got the acknowledgement of the end: the receiver must stay and acknowledge ' +
          'every repeat until the sender has been silent for a while',
      }),
      props.finishes(),
      props.noLeakedFds({ hint: 'the sender and the receiver must close their sockets' }),
    ]);
  });
}
