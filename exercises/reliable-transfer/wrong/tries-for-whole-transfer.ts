/**
 * Stop-and-wait over an unreliable datagram network. Every frame carries a
 * sequence number that counts up (an alternating bit is not enough: this
 * network reorders, so a stale copy can come back with the right parity).
 *
 *   sender → receiver   `D <seq> <chunk>`   data
 *                       `E <seq>`           end of transfer
 *   receiver → sender   `A <seq>`           acknowledgement of frame <seq>
 */

/** How long the sender waits for an acknowledgement before it sends again (simulated ms). */
const TIMEOUT_MS = 20;
/** Tries of one frame before the sender decides the receiver is gone. */
const MAX_TRIES = 30;
/** How long the receiver stays after the end, answering repeats, once nothing more arrives. */
const LINGER_MS = 1000;

export async function receiver(sys: any) {
  const fd = await sys.socket('inet', 'dgram');
  await sys.bind(fd, { port: await sys.getservbyname('tftp', 'udp') });
  let quiet = false;
  await sys.signal('SIGALRM', async () => {
    quiet = true;
  });

  let expected = 0;
  let finished = false;
  while (!quiet) {
    let datagram: { data: string; from: { host: string; port: number } };
    try {
      datagram = await sys.recvfrom(fd);
    } catch (error: any) {
      if (error.code === 'EINTR') continue;
      throw error;
    }
    const { data, from } = datagram;
    const [kind, seqText] = data.split(' ', 2);
    const seq = Number(seqText);
    if (seq > expected) continue; // cannot happen in stop-and-wait; never acknowledge what we lack
    if (seq === expected) {
      expected++;
      if (kind === 'D') await sys.print(data.slice(kind.length + seqText.length + 2));
      else finished = true;
    }
    // Acknowledge repeats as well: the sender repeats a frame because our acknowledgement was lost.
    await sys.sendto(fd, `A ${seq}`, from);
    // After the end, stay until the sender has been silent for a while: our last ACK may be lost.
    if (finished) await sys.alarm(LINGER_MS);
  }
  await sys.close(fd);
  return 0;
}

export async function sender(sys: any, argv: string[]) {
  const [host, ...chunks] = argv;
  const to = { host, port: await sys.getservbyname('tftp', 'udp') };
  const fd = await sys.socket('inet', 'dgram');
  let timedOut = false;
  await sys.signal('SIGALRM', async () => {
    timedOut = true;
  });

  let tries = 0;
  /** Sends `frame` until `A <seq>` comes back; false once the transfer has used MAX_TRIES tries. */
  async function deliver(frame: string, seq: number): Promise<boolean> {
    while (tries < MAX_TRIES) {
      tries++;
      await sys.sendto(fd, frame, to);
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
        // Acknowledgements of earlier frames (duplicated or late) say nothing about this one.
        if (reply === `A ${seq}`) {
          await sys.alarm(0);
          return true;
        }
      }
    }
    return false;
  }

  const frames = [...chunks.map((chunk, seq) => `D ${seq} ${chunk}`), `E ${chunks.length}`];
  for (let seq = 0; seq < frames.length; seq++) {
    if (!(await deliver(frames[seq], seq))) {
      await sys.write(2, `sender: no acknowledgement of frame ${seq} after ${MAX_TRIES} tries, giving up\n`);
      await sys.close(fd);
      return 1;
    }
  }
  await sys.close(fd);
  return 0;
}
