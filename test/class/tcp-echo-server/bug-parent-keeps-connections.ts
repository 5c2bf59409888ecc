// A child per connection, but the parent never closes its copy of the connection.
// A child per connection; the client shuts down its writing side and reads the echo until end of file.
export async function server(sys: any, argv: string[]) {
  const n = parseInt(argv[0], 10);
  const port = await sys.getservbyname('echo', 'tcp');
  const lsock = await sys.socket('inet', 'stream');
  await sys.bind(lsock, { port });
  await sys.listen(lsock, 8);
  for (let served = 0; served < n; served++) {
    const conn = await sys.accept(lsock);
    const pid = await sys.fork();
    if (pid === 0) {
      await sys.close(lsock);
      let got = await sys.recv(conn.fd, 32);
      while (got !== '') {
        await sys.send(conn.fd, got);
        got = await sys.recv(conn.fd, 32);
      }
      await sys.close(conn.fd);
      return sys.exit(0);
    }
  }
  await sys.close(lsock);
  for (let i = 0; i < n; i++) await sys.wait();
  return 0;
}

export async function client(sys: any, argv: string[]) {
  const host = argv[0];
  const msg = argv[1];
  const port = await sys.getservbyname('echo', 'tcp');
  let sock = await sys.socket('inet', 'stream');
  let connected = false;
  while (!connected) {
    try {
      await sys.connect(sock, { host, port });
      connected = true;
    } catch (e: any) {
      if (e.code !== 'ECONNREFUSED') throw e;
      await sys.close(sock);
      await sys.sleep(10);
      sock = await sys.socket('inet', 'stream');
    }
  }
  await sys.send(sock, msg);
  await sys.shutdown(sock, 'write');
  let reply = '';
  for (let part = await sys.recv(sock, 100); part !== ''; part = await sys.recv(sock, 100)) reply = reply + part;
  await sys.close(sock);
  await sys.print(reply);
}
