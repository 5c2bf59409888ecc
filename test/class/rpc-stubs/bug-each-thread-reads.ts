// Each thread sends its call and reads the next reply itself: whichever thread reads first gets it.
function frame(message: unknown): string {
  const json = JSON.stringify(message);
  return `${json.length}:${json}`;
}

export async function server(sys: any) {
  const listener = await sys.socket('inet', 'stream');
  await sys.bind(listener, { port: await sys.getservbyname('sunrpc', 'tcp') });
  await sys.listen(listener, 1);
  const { fd } = await sys.accept(listener);
  let buffer = '';
  for (;;) {
    const data = await sys.recv(fd, 256);
    if (data === '') break;
    buffer += data;
    for (;;) {
      const colon = buffer.indexOf(':');
      const length = Number(buffer.slice(0, colon));
      if (colon === -1 || buffer.length < colon + 1 + length) break;
      const { id, proc, args } = JSON.parse(buffer.slice(colon + 1, colon + 1 + length));
      buffer = buffer.slice(colon + 1 + length);
      const result = proc === 'add' ? args[0] + args[1] : proc === 'concat' ? args[0] + args[1] : args[0].toUpperCase();
      await sys.send(fd, frame({ id, result }));
    }
  }
  await sys.close(fd);
  await sys.close(listener);
  return 0;
}

export async function client(sys: any, argv: any[]) {
  const [host, ...threadCalls] = argv;
  const port = await sys.getservbyname('sunrpc', 'tcp');
  let fd = await sys.socket('inet', 'stream');
  for (;;) {
    try {
      await sys.connect(fd, { host, port });
      break;
    } catch (error: any) {
      if (error.code !== 'ECONNREFUSED') throw error;
      await sys.close(fd);
      await sys.sleep(5);
      fd = await sys.socket('inet', 'stream');
    }
  }
  const sendLock = await sys.mutex_init();
  const recvLock = await sys.mutex_init();
  let buffer = '';
  let nextId = 1;

  async function readReply() {
    await sys.mutex_lock(recvLock);
    for (;;) {
      const colon = buffer.indexOf(':');
      const length = Number(buffer.slice(0, colon));
      if (colon !== -1 && buffer.length >= colon + 1 + length) {
        const reply = JSON.parse(buffer.slice(colon + 1, colon + 1 + length));
        buffer = buffer.slice(colon + 1 + length);
        await sys.mutex_unlock(recvLock);
        return reply;
      }
      buffer += await sys.recv(fd, 256);
    }
  }

  async function runCalls(calls: any[][]) {
    for (const [proc, ...args] of calls) {
      await sys.mutex_lock(sendLock);
      await sys.send(fd, frame({ id: nextId++, proc, args }));
      await sys.mutex_unlock(sendLock);
      const { result } = await readReply();
      await sys.print(`${proc}(${args.map((a) => JSON.stringify(a)).join(', ')}) = ${JSON.stringify(result)}`);
    }
  }

  const tids = [];
  for (const calls of threadCalls) tids.push(await sys.thread(runCalls, calls));
  for (const tid of tids) await sys.join(tid);
  await sys.close(fd);
  return 0;
}
