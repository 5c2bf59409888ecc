async function runChild(sys: any, argv: string[]) {
  const program = argv.length === 0 ? 'ls' : argv[0];
  const args = argv.length === 0 ? [] : argv.slice(1);
  try {
    await sys.exec(program, args);
  } catch {
    await sys.write(2, 'Exec Failed\n');
  }
  return 1;
}

export default async function main(sys: any, argv: string[]) {
  let pid;
  try {
    pid = await sys.fork();
  } catch {
    await sys.write(2, 'Fork Failed\n');
    return 1;
  }
  if (pid === 0) return runChild(sys, argv);
  await sys.wait();
  await sys.print('Child Complete');
  return 0;
}
