const TIMEOUT_MS = 20;
const TRIES = 30;
const LINGER_MS = 1000;

/** Splits "D 3 some text" into its kind, number and the rest, keeping the rest exactly. */
function parse(data: string) {
  const kind = data[0];
  const afterKind = data.slice(2);
  const space = afterKind.indexOf(' ');
  const seq = Number(space === -1 ? afterKind : afterKind.slice(0, space));
  const chunk = space === -1 ? '' : afterKind.slice(space + 1);
  return { kind, seq, chunk };
}

export async function receiver(sys: any) {
  const fd = await sys.socket('inet', 'dgram');
  await sys.bind(fd, { port: await sys.getservbyname('tftp', 'udp') });
  await sys.signal('SIGALRM', async () => {});
  let expected = 0;
  let ended = false;
  for (;;) {
    let datagram;
    try {
      datagram = await sys.recvfrom(fd);
    } catch (error: any) {
      if (error.code === 'EINTR' && ended) break;
      if (error.code === 'EINTR') continue;
      throw error;
    }
    const { kind, seq, chunk } = parse(datagram.data);
    if (kind === 'D' && seq === expected && !ended) {
      await sys.print(chunk);
      expected++;
    } else if (kind === 'E' && seq === expected && !ended) {
      ended = true;
    }
    if (seq < expected || (kind === 'E' && ended)) await sys.sendto(fd, `A ${seq}`, datagram.from);
    if (ended) await sys.alarm(LINGER_MS);
  }
  await sys.close(fd);
  return 0;
}

export async function sender(sys: any, argv: string[]) {
  const [host, ...chunks] = argv;
  const to = { host, port: await sys.getservbyname('tftp', 'udp') };
  const fd = await sys.socket('inet', 'dgram');
  await sys.signal('SIGALRM', async () => {});
  for (let seq = 0; seq <= chunks.length; seq++) {
    const frame = seq < chunks.length ? `D ${seq} ${chunks[seq]}` : `E ${seq}`;
    let acknowledged = false;
    for (let tries = 0; tries < TRIES && !acknowledged; tries++) {
      await sys.sendto(fd, frame, to);
      await sys.alarm(TIMEOUT_MS);
      try {
        while (!acknowledged) {
          const { data } = await sys.recvfrom(fd);
          acknowledged = data === `A ${seq}`;
        }
      } catch (error: any) {
        if (error.code !== 'EINTR') throw error;
      }
    }
    await sys.alarm(0);
    if (!acknowledged) {
      await sys.write(2, `no acknowledgement for datagram ${seq} after ${TRIES} tries\n`);
      await sys.close(fd);
      return 1;
    }
  }
  await sys.close(fd);
  return 0;
}
