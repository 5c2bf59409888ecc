/**
 * A TCP echo server that serves each client in a child process, and a client
 * that connects (trying again while nobody listens yet), sends its message and
 * reads until the whole echo is back.
 */

/** How long a client waits before it tries to connect again (simulated ms). */
const RETRY_MS = 10;

export async function server(sys: any, argv: string[]) {
  const clients = Number(argv[0] ?? 1);
  const listener = await sys.socket('inet', 'stream');
  await sys.bind(listener, { port: await sys.getservbyname('echo', 'tcp') });
  await sys.listen(listener, 8);
  for (let served = 0; served < clients; served++) {
    const { fd } = await sys.accept(listener);
    if ((await sys.fork()) === 0) {
      // The child serves this one connection; the listening socket is the parent's business.
      await sys.close(listener);
      // Echo each piece as it comes: the stream keeps no boundaries, so there is nothing to wait for.
      for (let chunk = await sys.recv(fd, 64); chunk !== ''; chunk = await sys.recv(fd, 64)) await sys.send(fd, chunk);
      await sys.close(fd);
      return 0;
    }
    // The parent's copy of the connection must go, or it stays open after the child is done.
    await sys.close(fd);
  }
  await sys.close(listener);
  for (let i = 0; i < clients; i++) await sys.wait();
  return 0;
}

/** Connects a new stream socket to `address`, trying again while nobody listens there; the fd. */
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

export async function client(sys: any, argv: string[]) {
  const [host, message] = argv;
  const fd = await connectWhenListening(sys, { host, port: await sys.getservbyname('echo', 'tcp') });
  await sys.send(fd, message);
  // Read the echo until the server is done with it.
  let echo = '';
  for (let chunk = await sys.recv(fd, 64); chunk !== ''; chunk = await sys.recv(fd, 64)) echo += chunk;
  await sys.close(fd);
  await sys.print(echo);
  return 0;
}
