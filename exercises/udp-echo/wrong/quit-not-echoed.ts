/**
 * UDP echo: a server that sends every datagram back to its sender, and a
 * client that numbers its messages, waits for the matching echo, and sends a
 * message again when no matching echo comes back in time.
 */

/** How long the client waits for an echo before it sends again (simulated ms). */
const TIMEOUT_MS = 20;
/** How many times the client offers 'quit' before it assumes the server has stopped. */
const QUIT_TRIES = 10;

export async function server(sys: any) {
  const fd = await sys.socket('inet', 'dgram');
  await sys.bind(fd, { port: await sys.getservbyname('echo', 'udp') });
  for (;;) {
    const { data, from } = await sys.recvfrom(fd);
    // 'quit' is not a message: stop here.
    if (data === 'quit') break;
    await sys.sendto(fd, data, from);
  }
  await sys.close(fd);
  return 0;
}

export async function client(sys: any, argv: string[]) {
  const [host, ...messages] = argv;
  const to = { host, port: await sys.getservbyname('echo', 'udp') };
  const fd = await sys.socket('inet', 'dgram');

  // recvfrom has no timeout of its own: an alarm interrupts it (EINTR) when the echo is late.
  let timedOut = false;
  await sys.signal('SIGALRM', async () => {
    timedOut = true;
  });

  /** Sends `datagram` until an echo equal to it comes back, at most `tries` times; true if it did. */
  async function exchange(datagram: string, tries: number): Promise<boolean> {
    for (let attempt = 0; attempt < tries; attempt++) {
      await sys.sendto(fd, datagram, to);
      timedOut = false;
      await sys.alarm(TIMEOUT_MS);
      while (!timedOut) {
        let reply: string;
        try {
          reply = (await sys.recvfrom(fd)).data;
        } catch (error: any) {
          if (error.code === 'EINTR') break;
          throw error;
        }
        // A late echo of an earlier message, or a duplicate, carries another number: skip it.
        if (reply === datagram) {
          await sys.alarm(0);
          return true;
        }
      }
    }
    return false;
  }

  for (let i = 0; i < messages.length; i++) {
    const datagram = `${i + 1} ${messages[i]}`;
    await exchange(datagram, Infinity);
    await sys.print(datagram);
  }
  // If every echo of 'quit' is lost the server has stopped anyway: give up after a few tries.
  await exchange('quit', QUIT_TRIES);
  await sys.close(fd);
  return 0;
}
