// Newline-delimited JSON (JSON never holds a raw newline) and one call on the wire at a time: a caller holds the
// connection's mutex from sending its request until it has read its reply.
function handle(req: any) {
  if (req.proc === 'add') return req.args[0] + req.args[1];
  if (req.proc === 'concat') return req.args[0] + req.args[1];
  if (req.proc === 'upper') return req.args[0].toUpperCase();
  throw new Error('unknown procedure ' + req.proc);
}

export async function server(sys: any) {
  const port = await sys.getservbyname('sunrpc', 'tcp');
  const s = await sys.socket('inet', 'stream');
  await sys.bind(s, { port });
  await sys.listen(s, 5);
  const conn = (await sys.accept(s)).fd;
  await sys.close(s);
  let pending = '';
  let piece = await sys.recv(conn, 100);
  while (piece !== '') {
    pending += piece;
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      const req = JSON.parse(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      await sys.send(conn, JSON.stringify({ id: req.id, result: handle(req) }) + '\n');
      nl = pending.indexOf('\n');
    }
    piece = await sys.recv(conn, 100);
  }
  await sys.close(conn);
  return 0;
}

export async function client(sys: any, argv: any[]) {
  const host = argv[0];
  const port = await sys.getservbyname('sunrpc', 'tcp');
  let sock = -1;
  while (sock < 0) {
    const s = await sys.socket('inet', 'stream');
    try {
      await sys.connect(s, { host, port });
      sock = s;
    } catch (e: any) {
      await sys.close(s);
      if (e.code !== 'ECONNREFUSED') throw e;
      await sys.sleep(10);
    }
  }
  const line = await sys.mutex_init();
  let inbox = '';
  let counter = 0;

  const stub = async (proc: string, ...args: any[]) => {
    await sys.mutex_lock(line);
    counter += 1;
    const id = counter;
    await sys.send(sock, JSON.stringify({ id, proc, args }) + '\n');
    while (!inbox.includes('\n')) inbox += await sys.recv(sock, 64);
    const nl = inbox.indexOf('\n');
    const reply = JSON.parse(inbox.slice(0, nl));
    inbox = inbox.slice(nl + 1);
    await sys.mutex_unlock(line);
    if (reply.id !== id) throw new Error('reply ' + reply.id + ' for call ' + id);
    return reply.result;
  };

  const worker = async (calls: any[]) => {
    for (const c of calls) {
      const [proc, ...args] = c;
      const result = await stub(proc, ...args);
      await sys.print(proc + '(' + args.map((a: any) => JSON.stringify(a)).join(', ') + ') = ' + JSON.stringify(result));
    }
  };

  const tids = [];
  for (const calls of argv.slice(1)) tids.push(await sys.thread(worker, calls));
  for (const t of tids) await sys.join(t);
  await sys.close(sock);
  return 0;
}
