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
  for (let chunk = await sys.read(fd, 64); chunk !== ''; chunk = await sys.read(fd, 64)) text += chunk;
  return text;
}

export async function reader(sys: any) {
  await makeFifo(sys, FIFO);
  await makeFifo(sys, REPLY);
  const input = await sys.open(FIFO, 'r');
  const output = await sys.open(REPLY, 'w');
  await sys.unlink(FIFO);
  await sys.unlink(REPLY);
  const message = await readAll(sys, input);
  await sys.write(1, message);
  const lines = message.split('\n').length - 1;
  await sys.write(output, `received ${lines} lines\n`);
  await sys.exec('ls', ['/tmp']);
}

export async function writer(sys: any, argv: string[]) {
  await makeFifo(sys, FIFO);
  await makeFifo(sys, REPLY);
  const output = await sys.open(FIFO, 'w');
  const input = await sys.open(REPLY, 'r');
  for (const line of argv) await sys.write(output, `${line}\n`);
  await sys.close(output);
  const reply = await readAll(sys, input);
  await sys.close(input);
  await sys.write(1, reply);
}
