function words(command: string): string[] {
  return command.split(' ').filter((word) => word !== '');
}

export default async function main(sys: any, argv: string[]) {
  const pids: number[] = [];
  let upstream: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const last = i === argv.length - 1;
    const [readEnd, writeEnd] = last ? [null, null] : await sys.pipe();
    const pid = await sys.fork();
    if (pid === 0) {
      if (upstream !== null) {
        await sys.dup2(upstream, 0);
        await sys.close(upstream);
      }
      if (!last) {
        await sys.dup2(writeEnd, 1);
        await sys.close(writeEnd);
        await sys.close(readEnd);
      }
      const [name, ...args] = words(argv[i]);
      try {
        await sys.exec(name, args);
      } catch {
        await sys.write(2, `pipeline: ${name}: command not found\n`);
        return 127;
      }
    }
    pids.push(pid);
    if (upstream !== null) await sys.close(upstream);
    if (!last) await sys.close(writeEnd);
    upstream = readEnd;
  }
  const child = await sys.waitpid(pids[pids.length - 1]);
  return child.status ?? 1;
}
