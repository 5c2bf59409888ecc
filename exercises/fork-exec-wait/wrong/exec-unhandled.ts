export default async function main(sys: any, argv: string[]) {
  const [program, ...args] = argv.length > 0 ? argv : ['ls'];
  let pid: number;
  try {
    pid = await sys.fork();
  } catch {
    await sys.write(2, 'Fork Failed\n');
    return 1;
  }
  if (pid === 0) {
    await sys.exec(program, args);
  }
  await sys.wait();
  await sys.print('Child Complete');
  return 0;
}
