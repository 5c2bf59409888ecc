// The client prints the first echo that arrives after each send, without comparing it with what it sent.
const TIMEOUT_MS = 20;
const QUIT_TRIES = 10;

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

/** Waits for an echo until the alarm goes off; null when none came. */
async function awaitEcho(sys: any, fd: number): Promise<string | null> {
  await sys.alarm(TIMEOUT_MS);
  try {
    const { data } = await sys.recvfrom(fd);
    await sys.alarm(0);
    return data;
  } catch (error: any) {
    if (error.code === 'EINTR') return null;
    throw error;
  }
}

export async function client(sys: any, argv: string[]) {
  const [host, ...messages] = argv;
  const to = { host, port: await sys.getservbyname('echo', 'udp') };
  const fd = await sys.socket('inet', 'dgram');
  await sys.signal('SIGALRM', async () => {});
  for (let i = 0; i < messages.length; i++) {
    const datagram = `${i + 1} ${messages[i]}`;
    let echo = null;
    while (echo === null) {
      await sys.sendto(fd, datagram, to);
      echo = await awaitEcho(sys, fd);
    }
    await sys.print(echo);
  }
  for (let tries = 0; tries < QUIT_TRIES; tries++) {
    await sys.sendto(fd, 'quit', to);
    if ((await awaitEcho(sys, fd)) === 'quit') break;
  }
  await sys.close(fd);
  return 0;
}
