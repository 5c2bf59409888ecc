// The SIGALRM handler raises a flag; the client loop checks it after each interrupted recvfrom.
let expired = false;

export async function server(sys: any) {
  const sock = await sys.socket('inet', 'dgram');
  const port = await sys.getservbyname('echo', 'udp');
  await sys.bind(sock, { port });
  let msg = await sys.recvfrom(sock);
  while (msg.data !== 'quit') {
    await sys.sendto(sock, msg.data, msg.from);
    msg = await sys.recvfrom(sock);
  }
  await sys.sendto(sock, msg.data, msg.from);
  await sys.close(sock);
}

async function exchange(sys: any, sock: number, dest: any, text: string, maxTries: number) {
  for (let attempt = 1; attempt <= maxTries; attempt++) {
    await sys.sendto(sock, text, dest);
    expired = false;
    await sys.alarm(20);
    while (!expired) {
      let reply;
      try {
        reply = await sys.recvfrom(sock);
      } catch (e: any) {
        if (e.code !== 'EINTR') throw e;
        continue;
      }
      if (reply.data === text) {
        await sys.alarm(0);
        return true;
      }
    }
  }
  return false;
}

export async function client(sys: any, argv: string[]) {
  await sys.signal('SIGALRM', async () => {
    expired = true;
  });
  const dest = { host: argv[0], port: await sys.getservbyname('echo', 'udp') };
  const sock = await sys.socket('inet', 'dgram');
  let n = 1;
  for (const m of argv.slice(1)) {
    const text = n + ' ' + m;
    await exchange(sys, sock, dest, text, Infinity);
    await sys.print(text);
    n++;
  }
  await exchange(sys, sock, dest, 'quit', 10);
  await sys.close(sock);
  return 0;
}
