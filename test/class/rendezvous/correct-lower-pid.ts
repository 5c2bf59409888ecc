async function swap(sys: any, me: number, peer: number, value: string): Promise<string> {
  if (me < peer) {
    await sys.send_to(peer, value);
    return (await sys.receive_from(peer)).data;
  }
  const got = (await sys.receive_from(peer)).data;
  await sys.send_to(peer, value);
  return got;
}

export default async function main(sys: any, argv: string[][]) {
  const parentPid = sys.getpid();
  const pid = await sys.fork();
  const isChild = pid === 0;
  const me = sys.getpid();
  const peer = isChild ? parentPid : pid;
  const values = isChild ? argv[1] : argv[0];
  const who = isChild ? 'child' : 'parent';
  for (let i = 0; i < values.length; i++) {
    const got = await swap(sys, me, peer, values[i]);
    await sys.print(`${who} round ${i + 1}: sent ${values[i]}, got ${got}`);
  }
  if (!isChild) await sys.wait();
}
