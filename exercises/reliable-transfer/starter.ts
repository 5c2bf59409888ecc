/** The receiver, on 10.0.0.1: prints every chunk once, in order. */
export async function receiver(sys: any) {
  const fd = await sys.socket('inet', 'dgram');
  await sys.bind(fd, { port: await sys.getservbyname('tftp', 'udp') });
  // Receive frames, acknowledge each, print each new chunk; after the end, linger before closing.
  await sys.close(fd);
  return 0;
}

/** The sender, on 10.0.0.2: argv is the receiver's address, then the chunks. */
export async function sender(sys: any, argv: string[]) {
  const [host, ...chunks] = argv;
  const fd = await sys.socket('inet', 'dgram');
  // Send each chunk to `host` until it is acknowledged, then the end of the transfer.
  await sys.close(fd);
  return host && chunks ? 0 : 1;
}
