/**
 * cmd1 | cmd2 | ... | cmdN, the way a shell builds it: one pipe between each
 * pair of neighbours, one child per command with its stdin and stdout moved
 * onto the pipes by dup2, then exec. Every stage starts before the parent
 * waits for any of them, and every process closes the pipe ends it does not use.
 */

/** 'tr a-z A-Z' → ['tr', 'a-z', 'A-Z']. */
function words(command: string): string[] {
  return command.split(' ').filter((word) => word !== '');
}

export default async function main(sys: any, argv: string[]) {
  const pids: number[] = [];
  // The read end of the pipe the previous stage writes into (null before the first stage).
  let upstream: number | null = null;

  for (let i = 0; i < argv.length; i++) {
    const last = i === argv.length - 1;
    const [readEnd, writeEnd] = last ? [null, null] : await sys.pipe();
    const pid = await sys.fork();
    if (pid === 0) {
      if (upstream !== null) {
        await sys.dup2(upstream, 0);
        await sys.close(upstream); // fd 0 is the copy that stays
      }
      if (!last) {
        await sys.dup2(writeEnd, 1);
        await sys.close(writeEnd);
        await sys.close(readEnd); // the next stage reads it, not this one
      }
      const [name, ...args] = words(argv[i]);
      try {
        await sys.exec(name, args);
      } catch {
        await sys.write(2, `pipeline: ${name}: command not found\n`);
        return 1;
      }
    }
    pids.push(pid);
    // The parent keeps no pipe end: a reader sees end of file only once every write end is closed,
    // and a writer gets SIGPIPE only once every read end is.
    if (upstream !== null) await sys.close(upstream);
    if (!last) await sys.close(writeEnd);
    upstream = readEnd;
  }

  // Reap every stage (in whatever order they exit); the pipeline's status is the last stage's.
  const lastPid = pids[pids.length - 1];
  let status = 0;
  for (let n = 0; n < pids.length; n++) {
    const child = await sys.wait();
    if (child.pid === lastPid) status = child.status ?? 1;
  }
  return status;
}
