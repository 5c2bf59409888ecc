/**
 * fork, exec, wait: the shell's way to run a command. The child replaces its
 * program with exec; the parent waits for it before saying it is done.
 */
export default async function main(sys: any, argv: string[]) {
  const [program, ...args] = argv;

  let pid: number;
  try {
    pid = await sys.fork();
  } catch {
    // EAGAIN: the system allows no more processes.
    await sys.write(2, 'Fork Failed\n');
    return 1;
  }

  if (pid === 0) {
    try {
      await sys.exec(program, args);
    } catch {
      // exec only comes back when it failed; the child must leave here, not run the parent's code.
      await sys.write(2, 'Exec Failed\n');
      return 1;
    }
  }

  // Only once the child has exited is its output all written.
  await sys.wait();
  await sys.print('Child Complete');
  return 0;
}
