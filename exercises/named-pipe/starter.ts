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

export async function reader(sys: any) {
  await makeFifo(sys, FIFO);
  await makeFifo(sys, REPLY);
  // Open FIFO for reading, then REPLY for writing; unlink both; read until end of file and
  // write it to fd 1; reply `received N lines`; close both; then become ls /tmp:
  await sys.exec('ls', ['/tmp']);
}

export async function writer(sys: any, argv: string[]) {
  await makeFifo(sys, FIFO);
  await makeFifo(sys, REPLY);
  // Open FIFO for writing, then REPLY for reading; write each element of argv followed by '\n';
  // close; read the reply until end of file and write it to fd 1.
  void argv;
}
