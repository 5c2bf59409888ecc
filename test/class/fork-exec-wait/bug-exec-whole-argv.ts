// Passes the whole argv, program name included, as the arguments.
export default async function main(sys: any, argv: string[]) {
  let pid;
  try {
    pid = await sys.fork();
  } catch {
    await sys.write(2, 'Fork Failed\n');
    return 1;
  }
  if (pid === 0) {
    try {
      if (argv.length === 0) await sys.exec('ls', []);
      else await sys.exec(argv[0], argv);
    } catch {
      await sys.write(2, 'Exec Failed\n');
      return 1;
    }
  }
  await sys.wait();
  await sys.print('Child Complete');
  return 0;
}
