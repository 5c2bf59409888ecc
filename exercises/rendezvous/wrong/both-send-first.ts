/**
 * Two processes swap values in rounds over links of capacity 0, where a
 * send_to returns only once the other side has received. If both sent first,
 * both would wait forever; so the two sides take different roles, decided by
 * something both know: the lower pid sends first, the higher pid receives first.
 */
export default async function main(sys: any, argv: unknown[]) {
  const [parentValues, childValues] = argv as string[][];
  const parent = sys.getpid();
  const child = await sys.fork();
  if (child === 0) return rounds(sys, 'child', parent, childValues);
  await rounds(sys, 'parent', child, parentValues);
  await sys.wait();
}

async function rounds(sys: any, name: string, peer: number, values: string[]) {
  for (let round = 1; round <= values.length; round++) {
    const mine = values[round - 1];
    const theirs = await exchange(sys, peer, mine);
    await sys.print(`${name} round ${round}: sent ${mine}, got ${theirs}`);
  }
}

/** Send mine, then receive theirs. */
async function exchange(sys: any, peer: number, mine: string): Promise<string> {
  await sys.send_to(peer, mine);
  return (await sys.receive_from(peer)).data;
}
