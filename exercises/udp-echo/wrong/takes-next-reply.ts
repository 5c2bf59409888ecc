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
  await sys.signal('SIGALRM', async () => {});

  // Sends until some reply arrives, and takes whatever arrives as the echo of this datagram.
  async function exchange(datagram: string, tries: number): Promise<string | null> {
    for (let attempt = 0; attempt < tries; attempt++) {
      await sys.sendto(fd, datagram, to);
      await sys.alarm(TIMEOUT_MS);
      try {
        const reply = (await sys.recvfrom(fd)).data;
        await sys.alarm(0);
        return reply;
      } catch (error: any) {
        if (error.code !== 'EINTR') throw error;
      }
    }
    return null;
  }

  for (let i = 0; i < messages.length; i++) await sys.print(await exchange(`${i + 1} ${messages[i]}`, Infinity));
  await exchange('quit', 10);
  await sys.close(fd);
  return 0;
}
