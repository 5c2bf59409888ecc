// Creates every pipe first; each child closes all the ends but its own two.
export default async function main(sys: any, argv: string[]) {
  const n = argv.length;
  const pipes: number[][] = [];
  for (let i = 0; i < n - 1; i++) pipes.push(await sys.pipe());
  const children: number[] = [];
  for (let i = 0; i < n; i++) {
    const pid = await sys.fork();
    if (pid === 0) {
      if (i > 0) await sys.dup2(pipes[i - 1][0], 0);
      if (i < n - 1) await sys.dup2(pipes[i][1], 1);
      for (const [r, w] of pipes) {
        await sys.close(r);
        await sys.close(w);
      }
      const [cmd, ...args] = argv[i].split(' ');
      try {
        await sys.exec(cmd, args);
      } catch {
        await sys.write(2, `pipeline: ${cmd}: command not found\n`);
        await sys.exit(1);
      }
    }
    children.push(pid);
  }
  for (const [r, w] of pipes) {
    await sys.close(r);
    await sys.close(w);
  }
  let status = 0;
  for (let i = 0; i < n; i++) {
    const done = await sys.wait();
    if (done.pid === children[n - 1]) status = done.status ?? 128;
  }
  return status;
}
