const TIMEOUT_MS = 20;

export async function server(sys: any) {
  const fd = await sys.socket('inet', 'dgram');
  await sys.bind(fd, { port: await sys.getservbyname('echo', 'udp') });
  for (;;) {
    const { data, from } = await sys.recvfrom(fd);
    await sys.sendto(fd, data, from);
    if (data === 'quit') break;
  }
  await sys.close(fd);
  return 0;
}

export async function client(sys: any, argv: string[]) {
  const [host, ...messages] = argv;
  const to = { host, port: await sys.getservbyname('echo', 'udp') };
  const fd = await sys.socket('inet', 'dgram');
  let timedOut = false;
  await sys.signal('SIGALRM', async () => {
    timedOut = true;
  });
  for (let i = 0; i < messages.length; i++) {
    const datagram = `${i + 1} ${messages[i]}`;
    let echoed = false;
    while (!echoed) {
      await sys.sendto(fd, datagram, to);
      timedOut = false;
      await sys.alarm(TIMEOUT_MS);
      while (!timedOut && !echoed) {
        try {
          echoed = (await sys.recvfrom(fd)).data === datagram;
        } catch (error: any) {
          if (error.code !== 'EINTR') throw error;
        }
      }
    }
    await sys.alarm(0);
    await sys.print(datagram);
  }
  // Fire and forget: if this one datagram is lost, the server waits for it forever.
  await sys.sendto(fd, 'quit', to);
  await sys.close(fd);
  return 0;
}
