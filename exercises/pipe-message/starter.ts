export default async function main(sys: any, argv: string[]) {
  const message = argv[0];
  // Create a pipe, fork, let the child write `message`, and the parent read it all and print it.
  await sys.print(message === undefined ? '' : '');
}
