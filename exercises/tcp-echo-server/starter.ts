/** The echo server on 10.0.0.1: argv[0] is how many clients to serve. */
export async function server(sys: any, argv: string[]) {
  const clients = Number(argv[0] ?? 1);
  const listener = await sys.socket('inet', 'stream');
  // Bind to the echo port, listen, and serve `clients` connections: echo everything each one sends.
  await sys.close(listener);
  return clients > 0 ? 0 : 1;
}

/** The client: argv is the server's address and the message to send. */
export async function client(sys: any, argv: string[]) {
  const [host, message] = argv;
  const fd = await sys.socket('inet', 'stream');
  // Connect to `host` on the echo port, send the message, receive the whole echo and print it.
  await sys.close(fd);
  return host && message ? 0 : 1;
}
