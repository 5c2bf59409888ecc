async function stage(sys: any, command: string, input: number | null, output: number | null, unused: number | null) {
  if (input !== null) {
    await sys.dup2(input, 0);
    await sys.close(input);
  }
  if (output !== null) {
    await sys.dup2(output, 1);
    await sys.close(output);
  }
  if (unused !== null) await sys.close(unused);
  const parts = command.split(' ');
  try {
    await sys.exec(parts[0], parts.slice(1));
  } catch {
    await sys.write(2, 'pipeline: ' + parts[0] + ': command not found\n');
  }
  return 127;
}

export default async function main(sys: any, argv: string[]) {
  let input: number | null = null;
  const pids = [];
  for (let i = 0; i < argv.length; i++) {
    let readEnd: number | null = null;
    let writeEnd: number | null = null;
    if (i < argv.length - 1) [readEnd, writeEnd] = await sys.pipe();
    const pid = await sys.fork();
    if (pid === 0) return stage(sys, argv[i], input, writeEnd, readEnd);
    pids.push(pid);
    if (input !== null) await sys.close(input);
    if (writeEnd !== null) await sys.close(writeEnd);
    input = readEnd;
  }
  const last = await sys.waitpid(pids[pids.length - 1]);
  for (let i = 0; i < pids.length - 1; i++) await sys.wait();
  return last.status;
}
