export default async function main(sys: any, argv: string[]) {
  const [program, ...args] = argv.length ? argv : ['ls'];
  let pid;
  try {
    pid = await sys.fork();
  } catch {
    await sys.write(2, 'Fork Failed\n');
    return 1;
  }
  if (pid === 0) {
    try {
      await sys.exec(program, args);
    } catch {
      await sys.write(2, 'Exec Failed\n');
      return 1;
    }
  }
  await sys.print('Child Complete');
  await sys.wait();
  return 0;
}
