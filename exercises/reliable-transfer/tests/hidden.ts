import type { Suite } from '../../../grader/harness';
import type { RunResult } from '../../../kernel/types';

const CHUNKS = ['Call me Ishmael.', 'Some years ago', '- never mind how long precisely -', 'having little or no money', 'in my purse,'];
const REPEATS = ['tick', 'tock', 'tick', 'tick', 'tock'];
/** Far more frames, and lost tries, than one datagram's 30: a sender that counts tries for the whole transfer gives up half-way. */
const LONG = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`);
const text = (chunks: string[]) => chunks.map((c) => `${c}\n`).join('');
const transfer = (chunks: string[]) => [{ entry: 'receiver' }, { entry: 'sender', host: '10.0.0.2', argv: ['10.0.0.1', ...chunks] }];

/** How many lines the receiver printed. */
const outputLines = (run: RunResult): number => run.stdout.split('\n').filter((line) => line !== '').length;
/** A chunk was printed more often than it was sent. */
const printedTwice = (chunks: string[]) => (run: RunResult): boolean =>
  chunks.some((chunk) => run.stdout.split('\n').filter((line) => line === chunk).length > chunks.filter((c) => c === chunk).length);
/** The sender (pid 2 on 10.0.0.2) exited with a failure status: it gave up. */
const senderGaveUp = (run: RunResult): boolean => run.processes.some((p) => p.host === '10.0.0.2' && p.pid === 2 && p.status !== null && p.status !== 0);

export default function tests({ test, props, situations }: Suite) {
  test('every chunk arrives, in order, over a lossy network', { weight: 3 }, async (t) => {
    await t.explore({ programs: transfer(CHUNKS), network: { loss: 0.3 }, runs: 120 }, [
      props.stdoutIs(text(CHUNKS)),
      props.finishes({
        when: situations.blockedIn('recvfrom'),
        hint: 'a lost frame or a lost acknowledgement must be repaired: the sender times out (alarm) and sends the frame again, ' +
          'and the receiver acknowledges every copy it gets, even one it has already printed',
      }),
    ]);
  });

  test('no chunk is printed twice when datagrams are duplicated', { weight: 3 }, async (t) => {
    await t.explore({ programs: transfer(CHUNKS), network: { duplicate: 0.3, loss: 0.2 }, runs: 120 }, [
      props.allDelivered(CHUNKS, {
        when: printedTwice(CHUNKS),
        hint: 'a copy of a frame (duplicated by the network, or sent again after a lost acknowledgement) must be acknowledged ' +
          'but not printed again: number the frames and print only the one the receiver expects next',
      }),
      props.stdoutIs(text(CHUNKS)),
    ]);
  });

  test('equal chunks are each printed', { weight: 2 }, async (t) => {
    await t.explore({ programs: transfer(REPEATS), network: { duplicate: 0.2, loss: 0.2 }, runs: 100 }, [
      props.stdoutIs(text(REPEATS), {
        when: (run) => run.status === 'ok' && outputLines(run) < REPEATS.length,
        hint: 'two chunks may have the same text: recognise a repeat by its sequence number, not by its contents',
      }),
    ]);
  });

  test('a late copy of an old frame is not taken for a new one', { weight: 3 }, async (t) => {
    await t.explore({ programs: transfer(CHUNKS), network: { duplicate: 0.3, reorder: 0.5, loss: 0.2 }, runs: 150 }, [
      props.stdoutIs(text(CHUNKS), {
        // A late copy taken for a new frame prints the wrong chunk; a late acknowledgement taken for the current one ends the sender too early.
        when: situations.any((run) => !text(CHUNKS).startsWith(run.stdout), situations.all(situations.blockedIn('recvfrom', 2, '10.0.0.1'), situations.exited(2, '10.0.0.2'))),
        hint: 'this network reorders: a copy of an old frame or acknowledgement can arrive late, with the parity of the current one, ' +
          'so an alternating bit is not enough; count the sequence numbers up',
      }),
    ]);
  });

  test('both sides learn that the transfer is complete', { weight: 3 }, async (t) => {
    await t.explore({ programs: transfer(CHUNKS), network: { loss: 0.3, duplicate: 0.1, reorder: 0.1 }, runs: 120 }, [
      props.exitStatus(0, {
        pid: 2, host: '10.0.0.2',
        diagnoses: [
          {
            when: situations.all(senderGaveUp, (run) => run.stdout === text(CHUNKS)),
            hint: 'the sender gave up after every chunk was printed: the acknowledgement of the end never reached it. Leaving right ' +
              'after the end is not enough, nor is acknowledging only new frames: the receiver must stay and acknowledge every ' +
              "repeat, the end's included, until the sender has been silent for a while",
          },
          {
            when: senderGaveUp,
            hint: 'the sender gave up before every chunk was printed, while the receiver still waited. Either the receiver ignored ' +
              'a repeat (it must acknowledge every copy, even of a chunk it has printed), or the sender moved on after an ' +
              'acknowledgement of another frame and skipped a chunk: an acknowledgement names the frame it acknowledges, and the ' +
              "sender moves on only for its current frame's number",
          },
        ],
      }),
      props.finishes(),
      props.noLeakedFds({ when: situations.leftOpen(), hint: 'the sender and the receiver must close their sockets' }),
    ]);
  });

  test('chunks keep their spaces and digits exactly', { weight: 2 }, async (t) => {
    const spaced = ['two  spaces', '  leading and trailing  ', '42 is   the answer', '7', 'A 3 looks like a frame'];
    await t.explore({ programs: transfer(spaced), network: { loss: 0.2, duplicate: 0.1 }, runs: 40 }, [
      props.stdoutIs(text(spaced), { when: (run) => run.status === 'ok' && outputLines(run) === spaced.length, hint: 'a chunk is any text without a newline: print it exactly as the sender has it, spaces and digits included' }),
    ]);
  });

  test('the sender gives up after 30 tries when nobody answers', { weight: 2 }, async (t) => {
    // No receiver at all: every frame goes unanswered.
    await t.explore({ programs: [{ entry: 'sender', host: '10.0.0.2', argv: ['10.0.0.1', 'hello'] }], network: {}, runs: 5, trace: true }, [
      props.exitStatus(1, {
        pid: 2, host: '10.0.0.2',
        when: (run) => run.status !== 'ok',
        hint: 'after 30 tries of one datagram with no acknowledgement the sender gives up: it writes a line to fd 2 and returns 1',
      }),
      props.custom('30 tries', (run) => {
        const sends = (run.trace ?? []).filter((entry) => entry.call === 'sendto' && entry.error === undefined && entry.blocked === undefined).length;
        return sends >= 30 && sends <= 31 ? null : `the sender sent its frame ${sends} times: it gives up after 30 tries`;
      }),
      props.custom('a line on stderr', (run) => (/\S/.test(run.stderr) ? null : 'the sender writes a line to fd 2 when it gives up')),
    ]);
  });

  test('each datagram gets its own 30 tries, however long the transfer', { weight: 2 }, async (t) => {
    // About 60 tries of the 61 frames time out here, and a datagram's 30 all failing is unheard of: the bug shows in every run.
    await t.explore({ programs: transfer(LONG), network: { loss: 0.3 }, runs: 3 }, [
      props.exitStatus(0, {
        pid: 2, host: '10.0.0.2',
        when: senderGaveUp,
        hint: 'the sender gave up in a transfer longer than 30 frames: the 30 tries are counted for each datagram, afresh for every chunk, ' +
          'not for the whole transfer',
      }),
      props.stdoutIs(text(LONG)),
    ]);
  });
}
