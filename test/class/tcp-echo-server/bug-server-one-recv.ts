// The server echoes one recv per connection and closes it.
async function echoPort(sys: any) {
  return sys.getservbyname('echo', 'tcp');
}

async function echo(sys: any, fd: number) {
  const data = await sys.recv(fd, 1024);
  await sys.send(fd, data);
  await sys.close(fd);
}

export async function server(sys: any, argv: string[]) {
  const clients = Number(argv[0]);
  const listener = await sys.socket('inet', 'stream');
  await sys.bind(listener, { port: await echoPort(sys) });
  await sys.listen(listener, clients);
  for (let i = 0; i < clients; i++) {
    const { fd } = await sys.accept(listener);
    await echo(sys, fd);
  }
  await sys.close(listener);
  return 0;
}

async function connect(sys: any, host: string) {
  for (;;) {
    const fd = await sys.socket('inet', 'stream');
    try {
      await sys.connect(fd, { host, port: await echoPort(sys) });
      return fd;
    } catch (error: any) {
      await sys.close(fd);
      if (error.code !== 'ECONNREFUSED') throw error;
      await sys.sleep(5);
    }
  }
}

export async function client(sys: any, argv: string[]) {
  const [host, message] = argv;
  const fd = await connect(sys, host);
  await sys.send(fd, message);
  let echoed = '';
  while (echoed.length < message.length) {
    const data = await sys.recv(fd, message.length - echoed.length);
    if (data === '') break;
    echoed += data;
  }
  await sys.close(fd);
  await sys.print(echoed);
  return 0;
}
