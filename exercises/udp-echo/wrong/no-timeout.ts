export async function server(sys: any) {
  const fd = await sys.socket('inet', 'dgram');
  await sys.bind(fd, { port: await sys.getservbyname('echo', 'udp') });
  for (;;) {
    const { data, from } = await sys.recvfrom(fd);
    await sys.sendto(fd, data, from);
    if (data === 'quit') break;
  }
  await sys.close(fd);
  return 0;
}

export async function client(sys: any, argv: string[]) {
  const [host, ...messages] = argv;
  const to = { host, port: await sys.getservbyname('echo', 'udp') };
  const fd = await sys.socket('inet', 'dgram');
  for (let i = 0; i < messages.length; i++) {
    const datagram = `${i + 1} ${messages[i]}`;
    await sys.sendto(fd, datagram, to);
    // Waits for the matching echo, but never sends again: a lost datagram means waiting forever.
    let reply = '';
    while (reply !== datagram) reply = (await sys.recvfrom(fd)).data;
    await sys.print(reply);
  }
  await sys.sendto(fd, 'quit', to);
  let reply = '';
  while (reply !== 'quit') reply = (await sys.recvfrom(fd)).data;
  await sys.close(fd);
  return 0;
}
