/**
 * Two unrelated processes meet at FIFOs they know by name: the writer sends
 * its lines through /tmp/rendezvous.fifo, the reader answers through
 * /tmp/rendezvous.reply. Opening a FIFO blocks until the other side opens it
 * too, so both sides open the two FIFOs in the same order.
 */
const FIFO = '/tmp/rendezvous.fifo';
const REPLY = '/tmp/rendezvous.reply';

/** Creates the FIFO unless the other process already has: either may start first. */
async function makeFifo(sys: any, path: string) {
  try {
    await sys.mkfifo(path);
  } catch (error: any) {
    if (error.code !== 'EEXIST') throw error;
  }
}

/** Reads until end of file: one read returns at most what the FIFO holds right now. */
async function readAll(sys: any, fd: number): Promise<string> {
  let text = '';
  for (let chunk = await sys.read(fd, 64); chunk !== ''; chunk = await sys.read(fd, 64)) text += chunk;
  return text;
}

export async function reader(sys: any) {
  await makeFifo(sys, FIFO);
  await makeFifo(sys, REPLY);
  // Same order as the writer: FIFO first, then REPLY. Each open waits for the writer's matching open.
  const input = await sys.open(FIFO, 'r');
  const output = await sys.open(REPLY, 'w');
  // Both sides hold both FIFOs open now; the names have done their job.
  await sys.unlink(FIFO);
  await sys.unlink(REPLY);

  const message = await readAll(sys, input);
  await sys.close(input);
  await sys.write(1, message);
  const lines = message.split('\n').length - 1;
  await sys.write(output, `received ${lines} lines\n`);
  await sys.close(output);

  // Show that nothing is left behind; ls inherits only fds 0, 1 and 2.
  await sys.exec('ls', ['/tmp']);
}

export async function writer(sys: any, argv: string[]) {
  await makeFifo(sys, FIFO);
  await makeFifo(sys, REPLY);
  const output = await sys.open(FIFO, 'w');
  const input = await sys.open(REPLY, 'r');

  for (const line of argv) await sys.write(output, `${line}\n`);
  // Closing the write end is what lets the reader's read return end of file.
  await sys.close(output);

  const reply = await readAll(sys, input);
  await sys.write(1, reply);
}
