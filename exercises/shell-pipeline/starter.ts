export default async function main(sys: any, argv: string[]) {
  // argv holds the commands, for example ['echo hello world', 'tr a-z A-Z', 'wc -w'].
  // Build cmd1 | cmd2 | ... | cmdN with pipe, fork, dup2, close and exec, wait for every stage,
  // and return the status of the last one. This starter runs only the first command.
  const [name, ...args] = argv[0].split(' ').filter((word) => word !== '');
  await sys.exec(name, args);
}
