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
  // Sends every message at once, then prints echoes as they arrive, as if the network kept their order.
  const waiting = new Set(messages.map((m, i) => `${i + 1} ${m}`));
  while (waiting.size > 0) {
    for (const datagram of waiting) await sys.sendto(fd, datagram, to);
    timedOut = false;
    await sys.alarm(TIMEOUT_MS);
    while (!timedOut && waiting.size > 0) {
      try {
        const reply = (await sys.recvfrom(fd)).data;
        if (waiting.delete(reply)) await sys.print(reply);
      } catch (error: any) {
        if (error.code !== 'EINTR') throw error;
      }
    }
  }
  await sys.alarm(0);
  for (let tries = 0; tries < 10; tries++) {
    await sys.sendto(fd, 'quit', to);
    timedOut = false;
    await sys.alarm(TIMEOUT_MS);
    try {
      if ((await sys.recvfrom(fd)).data === 'quit') break;
    } catch (error: any) {
      if (error.code !== 'EINTR') throw error;
    }
  }
  await sys.alarm(0);
  await sys.close(fd);
  return 0;
}
