/**
 * Messages are lines of fields: `id|proc|arg,arg\n` for a request and
 * `id|type|result\n` for a reply.
 */

const PROCEDURES: Record<string, (...args: any[]) => unknown> = {
  add: (a: number, b: number) => a + b,
  concat: (s1: string, s2: string) => s1 + s2,
  upper: (s: string) => s.toUpperCase(),
};

const RETRY_MS = 10;

/** Reads newline-terminated messages, keeping what is left over for the next one. */
function lineReader(sys: any, fd: number) {
  let buffer = '';
  return async function next(): Promise<string | null> {
    for (;;) {
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        const message = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        return message;
      }
      const chunk = await sys.recv(fd, 1024);
      if (chunk === '') return null;
      buffer += chunk;
    }
  };
}

export async function server(sys: any) {
  const listener = await sys.socket('inet', 'stream');
  await sys.bind(listener, { port: await sys.getservbyname('sunrpc', 'tcp') });
  await sys.listen(listener, 4);
  const { fd } = await sys.accept(listener);
  await sys.close(listener);
  const next = lineReader(sys, fd);
  for (let request = await next(); request !== null; request = await next()) {
    const [id, proc, argText] = request.split('|');
    const args = argText.split(',').map((a) => (proc === 'add' ? Number(a) : a));
    const result = PROCEDURES[proc]?.(...args);
    await sys.send(fd, `${id}|${typeof result}|${result}\n`);
  }
  await sys.close(fd);
  return 0;
}

async function connectWhenListening(sys: any, address: { host: string; port: number }): Promise<number> {
  for (;;) {
    const fd = await sys.socket('inet', 'stream');
    try {
      await sys.connect(fd, address);
      return fd;
    } catch (error: any) {
      await sys.close(fd);
      if (error.code !== 'ECONNREFUSED') throw error;
      await sys.sleep(RETRY_MS);
    }
  }
}

export async function client(sys: any, argv: any[]) {
  const [host, ...threadCalls] = argv as [string, ...[string, ...unknown[]][][]];
  const fd = await connectWhenListening(sys, { host, port: await sys.getservbyname('sunrpc', 'tcp') });
  const waiting = new Map<string, { done: unknown; result?: unknown }>();
  const sending = await sys.mutex_init();
  let nextId = 1;

  async function call(proc: string, args: unknown[]): Promise<unknown> {
    const id = String(nextId++);
    const entry: { done: unknown; result?: unknown } = { done: await sys.sem_init(0) };
    waiting.set(id, entry);
    await sys.mutex_lock(sending);
    await sys.send(fd, `${id}|${proc}|${args.join(',')}\n`);
    await sys.mutex_unlock(sending);
    await sys.sem_wait(entry.done);
    return entry.result;
  }

  async function reader() {
    const next = lineReader(sys, fd);
    for (let reply = await next(); reply !== null; reply = await next()) {
      const [id, type, value] = reply.split('|');
      const entry = waiting.get(id);
      if (!entry) continue;
      waiting.delete(id);
      entry.result = type === 'number' ? Number(value) : value;
      await sys.sem_post(entry.done);
    }
  }

  async function caller(calls: [string, ...unknown[]][]) {
    for (const [proc, ...args] of calls) {
      const result = await call(proc, args);
      await sys.print(`${proc}(${args.map((a) => JSON.stringify(a)).join(', ')}) = ${JSON.stringify(result)}`);
    }
  }

  const readerTid = await sys.thread(reader);
  const callers = [];
  for (const calls of threadCalls) callers.push(await sys.thread(caller, calls));
  for (const tid of callers) await sys.join(tid);
  await sys.shutdown(fd, 'write');
  await sys.join(readerTid);
  await sys.close(fd);
  return 0;
}
