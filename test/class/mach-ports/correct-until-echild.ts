// Everything inline in main; the server reaps until no child is left.
export default async function main(sys: any, argv: unknown[]) {
  const connection = await sys.mailbox_create('adder');
  let connections = 0;

  for (const entry of argv) {
    const pid = await sys.fork();
    if (pid !== 0) continue;
    const words = String(entry).split(' ');
    const name = words[0];
    const conn = await sys.mailbox_open('adder');
    const myPort = await sys.msg_rpc(conn, { connect: name });
    for (let i = 1; i < words.length; i++) {
      const n = parseInt(words[i], 10);
      const total = await sys.msg_rpc(myPort, n);
      await sys.print(name + ' +' + n + ' = ' + total);
    }
    await sys.msg_send(myPort, 'bye');
    await sys.exit(0);
  }

  while (connections < argv.length) {
    const req = await sys.msg_receive(connection);
    if (!req.data || req.data.connect === undefined) continue;
    const priv = await sys.port_allocate();
    const pid = await sys.fork();
    if (pid === 0) {
      let sum = 0;
      let msg = await sys.msg_receive(priv);
      while (msg.data !== 'bye') {
        sum = sum + Number(msg.data);
        await sys.msg_reply(msg, sum);
        msg = await sys.msg_receive(priv);
      }
      await sys.exit(0);
    }
    await sys.msg_reply(req, priv);
    connections++;
  }

  for (;;) {
    try {
      await sys.wait();
    } catch (e: any) {
      if (e.code === 'ECHILD') break;
      throw e;
    }
  }
  await sys.mailbox_destroy(connection);
  await sys.print('served ' + connections + ' connections');
}
