/**
 * An adding service with a connection handshake in the style of Windows local
 * procedure calls, over Mach-style ports. The server listens on one well-known
 * connection port; for each client that connects it allocates a private port,
 * forks a handler that serves only that port, and replies with the port. A
 * client then makes its calls on its private port, so its running total is
 * kept by its own handler and never mixed with another client's.
 */
const SERVICE = 'adder';
const BYE = 'bye';

export default async function main(sys: any, argv: unknown[]) {
  const clients = argv.map(String);
  const connection = await sys.mailbox_create(SERVICE);
  for (const spec of clients) {
    if ((await sys.fork()) === 0) return client(sys, spec);
  }
  for (let accepted = 0; accepted < clients.length; accepted++) {
    const request = await sys.msg_receive(connection);
    const port = await sys.port_allocate();
    if ((await sys.fork()) === 0) return handler(sys, port);
    // The answer goes to the reply port msg_rpc made for this client, not to the connection port.
    await sys.msg_reply(request, port);
  }
  // Each client and each handler is a child of the server.
  await sys.print(`served ${clients.length} connections`);
  for (let i = 0; i < 2 * clients.length; i++) await sys.wait();
  await sys.mailbox_destroy(connection);
}

/** Connects, adds its numbers one call at a time, and says goodbye. */
async function client(sys: any, spec: string) {
  const [name, ...numbers] = spec.split(' ');
  const connection = await sys.mailbox_open(SERVICE);
  const port = await sys.msg_rpc(connection, { connect: name });
  for (const n of numbers.map(Number)) {
    const total = await sys.msg_rpc(port, n);
    await sys.print(`${name} +${n} = ${total}`);
  }
  await sys.msg_send(port, BYE);
}

/** Serves one client's private port: a running total, until the client says goodbye. */
async function handler(sys: any, port: number) {
  let total = 0;
  for (;;) {
    const request = await sys.msg_receive(port);
    if (request.data === BYE) break;
    total += request.data;
    await sys.msg_reply(request, total);
  }
  await sys.mailbox_destroy(port);
}
