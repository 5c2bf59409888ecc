// The reader copies each chunk to stdout as it comes and counts newlines on the way; the writer sends one string.
async function mk(sys: any, path: string) {
  await sys.mkfifo(path).catch((e: any) => {
    if (e.code !== 'EEXIST') throw e;
  });
}

async function writeFully(sys: any, fd: number, data: string) {
  let rest = data;
  while (rest.length > 0) {
    const n = await sys.write(fd, rest);
    rest = rest.slice(n);
  }
}

export async function reader(sys: any) {
  await mk(sys, '/tmp/rendezvous.fifo');
  await mk(sys, '/tmp/rendezvous.reply');
  const fifo = await sys.open('/tmp/rendezvous.fifo', 'r');
  const back = await sys.open('/tmp/rendezvous.reply', 'w');
  await sys.unlink('/tmp/rendezvous.fifo');
  await sys.unlink('/tmp/rendezvous.reply');
  let count = 0;
  let chunk = await sys.read(fifo, 16);
  while (chunk !== '') {
    for (const c of chunk) if (c === '\n') count++;
    await writeFully(sys, 1, chunk);
    chunk = await sys.read(fifo, 16);
  }
  await writeFully(sys, back, 'received ' + count + ' lines\n');
  await sys.close(back);
  await sys.close(fifo);
  return sys.exec('/bin/ls', ['/tmp']);
}

export async function writer(sys: any, argv: string[]) {
  await mk(sys, '/tmp/rendezvous.fifo');
  await mk(sys, '/tmp/rendezvous.reply');
  const fifo = await sys.open('/tmp/rendezvous.fifo', 'w');
  const back = await sys.open('/tmp/rendezvous.reply', 'r');
  await writeFully(sys, fifo, argv.map((line) => line + '\n').join(''));
  await sys.close(fifo);
  let reply = '';
  for (let chunk = await sys.read(back, 100); chunk !== ''; chunk = await sys.read(back, 100)) reply += chunk;
  await sys.close(back);
  await writeFully(sys, 1, reply);
}
