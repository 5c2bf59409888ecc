// The parent always sends first; the child always receives first.
export default async function main(sys: any, argv: string[][]) {
  const [mine, theirs] = argv;
  const parent = sys.getpid();
  const child = await sys.fork();
  if (child === 0) {
    for (let r = 0; r < theirs.length; r++) {
      const got = (await sys.receive_from(parent)).data;
      await sys.send_to(parent, theirs[r]);
      await sys.print(`child round ${r + 1}: sent ${theirs[r]}, got ${got}`);
    }
    return 0;
  }
  for (let r = 0; r < mine.length; r++) {
    try {
      await sys.send_to(child, mine[r], { nowait: true });
    } catch {
      // the child is not listening yet: it will get the value next round
    }
    const got = (await sys.receive_from(child)).data;
    await sys.print(`parent round ${r + 1}: sent ${mine[r]}, got ${got}`);
  }
  await sys.wait();
}
