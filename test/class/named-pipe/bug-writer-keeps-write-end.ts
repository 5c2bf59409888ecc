// The writer reads the reply before closing its write end.
const FIFO = '/tmp/rendezvous.fifo';
const REPLY = '/tmp/rendezvous.reply';

async function makeFifo(sys: any, path: string) {
  try {
    await sys.mkfifo(path);
  } catch (error: any) {
    if (error.code !== 'EEXIST') throw error;
  }
}

async function readAll(sys: any, fd: number): Promise<string> {
  let text = '';
  for (;;) {
    const chunk = await sys.read(fd, 64);
    if (chunk === '') return text;
    text += chunk;
  }
}

export async function reader(sys: any) {
  await makeFifo(sys, FIFO);
  await makeFifo(sys, REPLY);
  const input = await sys.open(FIFO, 'r');
  const reply = await sys.open(REPLY, 'w');
  await sys.unlink(FIFO);
  await sys.unlink(REPLY);
  const text = await readAll(sys, input);
  await sys.close(input);
  await sys.write(1, text);
  const lines = text.split('').filter((c) => c === '\n').length;
  await sys.write(reply, `received ${lines} lines\n`);
  await sys.close(reply);
  await sys.exec('ls', ['/tmp']);
}

export async function writer(sys: any, argv: string[]) {
  await makeFifo(sys, FIFO);
  await makeFifo(sys, REPLY);
  const output = await sys.open(FIFO, 'w');
  const reply = await sys.open(REPLY, 'r');
  for (const line of argv) await sys.write(output, line + '\n');
  const answer = await readAll(sys, reply);
  await sys.close(reply);
  await sys.close(output);
  await sys.write(1, answer);
}
