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

/** Connects a new stream socket to `address`: the server is started first, so it is surely listening. */
async function connectWhenListening(sys: any, address: { host: string; port: number }): Promise<number> {
  const fd = await sys.socket('inet', 'stream');
  await sys.connect(fd, address);
  return fd;
}

export async function client(sys: any, argv: string[]) {
  const [host, message] = argv;
  const fd = await connectWhenListening(sys, { host, port: await sys.getservbyname('echo', 'tcp') });
  await sys.send(fd, message);
  // One recv may bring part of the echo: keep going until all of it is back.
  let echo = '';
  while (echo.length < message.length) {
    const chunk = await sys.recv(fd, message.length - echo.length);
    if (chunk === '') break;
    echo += chunk;
  }
  await sys.close(fd);
  await sys.print(echo);
  return 0;
}
