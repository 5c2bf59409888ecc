const SERVICE = 'adder';

async function client(sys: any, entry: string) {
  const [name, ...numbers] = entry.split(' ');
  const connection = await sys.mailbox_open(SERVICE);
  const port = await sys.msg_rpc(connection, { connect: name });
  for (const n of numbers.map(Number)) {
    const total = await sys.msg_rpc(port, n);
    await sys.print(`${name} +${n} = ${total}`);
  }
  await sys.msg_send(port, 'bye');
}

async function handler(sys: any, port: number) {
  let total = 0;
  for (;;) {
    const request = await sys.msg_receive(port);
    if (request.data === 'bye') break;
    total += request.data;
    await sys.msg_reply(request, total);
  }
  await sys.mailbox_destroy(port);
}

export default async function main(sys: any, argv: unknown[]) {
  const entries = argv.map(String);
  const connection = await sys.mailbox_create(SERVICE);
  for (const entry of entries) {
    if ((await sys.fork()) === 0) {
      await client(sys, entry);
      return 0;
    }
  }
  for (let i = 0; i < entries.length; i++) {
    const request = await sys.msg_receive(connection);
    const port = await sys.port_allocate();
    if ((await sys.fork()) === 0) {
      await handler(sys, port);
      return 0;
    }
    await sys.msg_reply(request, port);
  }
  for (let i = 0; i < 2 * entries.length; i++) await sys.wait();
  await sys.mailbox_destroy(connection);
  await sys.print(`served ${entries.length} connections`);
  return 0;
}
