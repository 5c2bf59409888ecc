/**
 * One side of the real-process ping-pong in bench/kernel/run.mjs. Every mode
 * tells the parent 'ready' over IPC once it can take the first byte, so that
 * process start-up stays out of the measured time.
 *
 *   node os-peer.mjs echo-blocking N   read one byte from fd 0 and write it back to fd 1, N times,
 *                                      with blocking read(2)/write(2) (fs.readSync/fs.writeSync)
 *   node os-peer.mjs serve-blocking N  the other side: on 'go' from the parent, write one byte to
 *                                      fd 1 and wait for it on fd 0, N times; sends the parent the
 *                                      loop's elapsed nanoseconds
 *   node os-peer.mjs echo-stream       echoes fd 0 to fd 1 through process.stdin/stdout (the event
 *                                      loop, as most Node programs talk to a pipe)
 */
import { Buffer } from 'node:buffer';
import { readSync, writeSync } from 'node:fs';

const [mode, count] = process.argv.slice(2);
const rounds = Number(count);
const byte = Buffer.from('x');

/** One byte from fd 0; retries should the descriptor be non-blocking after all. */
function readByte() {
  for (;;) {
    try {
      if (readSync(0, byte, 0, 1, null) === 1) return;
      throw new Error('end of file before the last round trip');
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}

function writeByte() {
  for (;;) {
    try {
      if (writeSync(1, byte, 0, 1) === 1) return;
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}

if (mode === 'echo-blocking') {
  process.send('ready', () => {
    for (let i = 0; i < rounds; i++) {
      readByte();
      writeByte();
    }
    process.disconnect();
  });
} else if (mode === 'serve-blocking') {
  process.once('message', () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) {
      writeByte();
      readByte();
    }
    const elapsed = process.hrtime.bigint() - started;
    process.send(String(elapsed), () => process.disconnect());
  });
  process.send('ready');
} else if (mode === 'echo-stream') {
  process.stdin.on('data', (chunk) => process.stdout.write(chunk));
  process.stdin.on('end', () => process.disconnect());
  process.send('ready');
} else {
  throw new Error(`unknown mode ${mode}`);
}
