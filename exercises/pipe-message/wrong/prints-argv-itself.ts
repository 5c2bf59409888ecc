export default async function main(sys: any, argv: string[]) {
  // The parent already knows the message: print it, and let the child exit.
  const pid = await sys.fork();
  if (pid === 0) return 0;
  await sys.print(argv[0]);
  await sys.wait();
}
