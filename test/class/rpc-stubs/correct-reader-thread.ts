const PROCEDURES: Record<string, (...args: any[]) => unknown> = {
  add: (a: number, b: number) => a + b,
  concat: (s1: string, s2: string) => s1 + s2,
  upper: (s: string) => s.toUpperCase(),
};

function frame(message: unknown): string {
  const json = JSON.stringify(message);
  return `${json.length}:${json}`;
}

/** Takes every complete frame out of the buffer; returns the messages and what is left. */
function unframe(buffer: string): { messages: any[]; rest: string } {
  const messages = [];
  let rest = buffer;
  for (;;) {
    const colon = rest.indexOf(':');
    if (colon === -1) break;
    const length = Number(rest.slice(0, colon));
    if (rest.length < colon + 1 + length) break;
    messages.push(JSON.parse(rest.slice(colon + 1, colon + 1 + length)));
    rest = rest.slice(colon + 1 + length);
  }
  return { messages, rest };
}

async function sendAll(sys: any, fd: number, data: string) {
  let rest = data;
  while (rest.length > 0) {
    const sent = await sys.send(fd, rest);
    rest = rest.slice(sent ?? rest.length);
  }
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
    const { messages, rest } = unframe(buffer + data);
    buffer = rest;
    for (const { id, proc, args } of messages) {
      await sendAll(sys, fd, frame({ id, result: PROCEDURES[proc](...args) }));
    }
  }
  await sys.close(fd);
  await sys.close(listener);
  return 0;
}

async function connect(sys: any, host: string) {
  const port = await sys.getservbyname('sunrpc', 'tcp');
  for (;;) {
    const fd = await sys.socket('inet', 'stream');
    try {
      await sys.connect(fd, { host, port });
      return fd;
    } catch (error: any) {
      await sys.close(fd);
      if (error.code !== 'ECONNREFUSED') throw error;
      await sys.sleep(5);
    }
  }
}

export async function client(sys: any, argv: any[]) {
  const [host, ...threadCalls] = argv;
  const fd = await connect(sys, host);
  const sendLock = await sys.mutex_init();
  const waiting = new Map<number, any>();
  const results = new Map<number, unknown>();
  let nextId = 1;

  async function call(proc: string, args: unknown[]) {
    const id = nextId++;
    const done = await sys.sem_init(0);
    waiting.set(id, done);
    await sys.mutex_lock(sendLock);
    await sendAll(sys, fd, frame({ id, proc, args }));
    await sys.mutex_unlock(sendLock);
    await sys.sem_wait(done);
    return results.get(id);
  }

  async function readReplies() {
    let buffer = '';
    for (;;) {
      const data = await sys.recv(fd, 256);
      if (data === '') return;
      const { messages, rest } = unframe(buffer + data);
      buffer = rest;
      for (const { id, result } of messages) {
        results.set(id, result);
        await sys.sem_post(waiting.get(id));
      }
    }
  }

  async function runCalls(calls: any[][]) {
    for (const [proc, ...args] of calls) {
      const result = await call(proc, args);
      await sys.print(`${proc}(${args.map((a) => JSON.stringify(a)).join(', ')}) = ${JSON.stringify(result)}`);
    }
  }

  const reader = await sys.thread(readReplies);
  const callers = [];
  for (const calls of threadCalls) callers.push(await sys.thread(runCalls, calls));
  for (const tid of callers) await sys.join(tid);
  await sys.shutdown(fd, 'write');
  await sys.join(reader);
  await sys.close(fd);
  return 0;
}
