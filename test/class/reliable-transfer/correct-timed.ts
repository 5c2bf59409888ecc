// JSON frames; a timed-out flag set by the SIGALRM handler; the receiver remembers the end's number.
let timedOut = false;

async function onAlarm() {
  timedOut = true;
}

async function receiveUntilAlarm(sys: any, fd: number) {
  try {
    return await sys.recvfrom(fd);
  } catch (e: any) {
    if (e.code === 'EINTR' && timedOut) return null;
    throw e;
  }
}

export async function sender(sys: any, argv: string[]) {
  const host = argv[0];
  const port = await sys.getservbyname('tftp', 'udp');
  const sock = await sys.socket('inet', 'dgram');
  await sys.signal('SIGALRM', onAlarm);
  const frames = argv.slice(1).map((text, n) => ({ type: 'data', n, text }));
  frames.push({ type: 'end', n: frames.length, text: '' });

  for (const frame of frames) {
    let attempts = 0;
    let done = false;
    while (!done) {
      if (attempts === 30) {
        await sys.write(2, 'receiver not answering, giving up\n');
        await sys.close(sock);
        return 1;
      }
      attempts += 1;
      await sys.sendto(sock, JSON.stringify(frame), { host, port });
      timedOut = false;
      await sys.alarm(20);
      let reply = await receiveUntilAlarm(sys, sock);
      while (reply !== null) {
        const ack = JSON.parse(reply.data);
        if (ack.ack === frame.n) {
          done = true;
          break;
        }
        reply = await receiveUntilAlarm(sys, sock);
      }
    }
    await sys.alarm(0);
  }
  await sys.close(sock);
  return 0;
}

export async function receiver(sys: any) {
  const sock = await sys.socket('inet', 'dgram');
  await sys.bind(sock, { port: await sys.getservbyname('tftp', 'udp') });
  await sys.signal('SIGALRM', onAlarm);
  let next = 0;
  let endNumber = -1;
  for (;;) {
    if (endNumber >= 0) {
      timedOut = false;
      await sys.alarm(1000);
    }
    const got = await receiveUntilAlarm(sys, sock);
    if (got === null) break;
    const frame = JSON.parse(got.data);
    if (frame.type === 'data' && frame.n === next) {
      await sys.print(frame.text);
      next += 1;
    } else if (frame.type === 'end' && frame.n === next) {
      endNumber = frame.n;
    }
    if (frame.n < next || frame.n === endNumber) await sys.sendto(sock, JSON.stringify({ ack: frame.n }), got.from);
  }
  await sys.close(sock);
  return 0;
}
