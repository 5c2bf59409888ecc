/** The procedures the server offers. */
const PROCEDURES: Record<string, (...args: any[]) => unknown> = {
  add: (a: number, b: number) => a + b,
  concat: (s1: string, s2: string) => s1 + s2,
  upper: (s: string) => s.toUpperCase(),
};

/** How long a client waits before it tries to connect again (simulated ms). */
const RETRY_MS = 10;

/** Marshals one message: its JSON text, prefixed by that text's length. */
function frame(message: unknown): string {
  const json = JSON.stringify(message);
  return `${json.length}:${json}`;
}

/** Reads whole frames from a stream socket: receives until the frame it is reading is complete. */
function frameReader(sys: any, fd: number) {
  /** The next message, or null once the peer has closed. */
  return async function next(): Promise<any> {
    let buffer = '';
    for (;;) {
      const colon = buffer.indexOf(':');
      if (colon >= 0) {
        const end = colon + 1 + Number(buffer.slice(0, colon));
        if (buffer.length >= end) {
          return JSON.parse(buffer.slice(colon + 1, end));
        }
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
  const next = frameReader(sys, fd);
  // The server stub: unmarshal a request, call the procedure, marshal the reply with the call's id.
  for (let request = await next(); request !== null; request = await next()) {
    const result = PROCEDURES[request.proc](...request.args);
    await sys.send(fd, frame({ id: request.id, result }));
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

  /** Calls waiting for their reply, by id: where to put the result and whom to wake. */
  const waiting = new Map<number, { done: unknown; result?: unknown }>();
  const sending = await sys.mutex_init();
  let nextId = 1;

  /** The client stub: marshal, send, and wait until the reader hands over our reply. */
  async function call(proc: string, args: unknown[]): Promise<unknown> {
    const id = nextId++;
    const entry: { done: unknown; result?: unknown } = { done: await sys.sem_init(0) };
    waiting.set(id, entry);
    // One send of a frame could be cut by another thread's send if both were large: keep them apart.
    await sys.mutex_lock(sending);
    await sys.send(fd, frame({ id, proc, args }));
    await sys.mutex_unlock(sending);
    await sys.sem_wait(entry.done);
    return entry.result;
  }

  /** The only thread that receives: each reply goes to the call with its id, whatever the order. */
  async function reader() {
    const next = frameReader(sys, fd);
    for (let reply = await next(); reply !== null; reply = await next()) {
      const entry = waiting.get(reply.id)!;
      waiting.delete(reply.id);
      entry.result = reply.result;
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
  // No more calls: the server sees end of file, closes, and the reader sees it in turn.
  await sys.shutdown(fd, 'write');
  await sys.join(readerTid);
  await sys.close(fd);
  return 0;
}
