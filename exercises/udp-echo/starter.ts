/** The echo server: runs on 10.0.0.1. */
export async function server(sys: any) {
  const fd = await sys.socket('inet', 'dgram');
  await sys.bind(fd, { port: await sys.getservbyname('echo', 'udp') });
  // Receive datagrams and send each one back to its sender; stop after echoing 'quit'.
  await sys.close(fd);
  return 0;
}

/** The echo client: argv is the server's address, then the messages to send. */
export async function client(sys: any, argv: string[]) {
  const [host, ...messages] = argv;
  const fd = await sys.socket('inet', 'dgram');
  // Number each message, send it to `host` on the echo port, print its echo; send again when an echo is late.
  await sys.close(fd);
  return messages.length === 0 && host === undefined ? 1 : 0;
}
