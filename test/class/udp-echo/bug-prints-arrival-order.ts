// Sends every message at once, then prints the echoes as they arrive, resending the ones still missing.
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
  const missing = new Set(messages.map((m, i) => `${i + 1} ${m}`));
  while (missing.size > 0) {
    for (const datagram of missing) await sys.sendto(fd, datagram, to);
    await sys.alarm(20);
    try {
      for (;;) {
        const { data } = await sys.recvfrom(fd);
        if (missing.delete(data)) await sys.print(data);
        if (missing.size === 0) break;
      }
      await sys.alarm(0);
    } catch (error: any) {
      if (error.code !== 'EINTR') throw error;
    }
  }
  for (let tries = 0; tries < 10; tries++) {
    await sys.sendto(fd, 'quit', to);
    await sys.alarm(20);
    try {
      let data = '';
      while (data !== 'quit') data = (await sys.recvfrom(fd)).data;
      await sys.alarm(0);
      break;
    } catch (error: any) {
      if (error.code !== 'EINTR') throw error;
    }
  }
  await sys.close(fd);
  return 0;
}
