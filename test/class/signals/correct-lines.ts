export default async function main(sys: any, argv: string[]) {
  const workers = Number(argv[0]);
  let reaped = 0;
  let lines = 0;
  let interrupted = false;
  await sys.signal('SIGCHLD', async () => {
    try {
      let child = await sys.waitpid(-1, { nohang: true });
      while (child !== null) {
        reaped++;
        await sys.print(`worker ${child.status} reaped`);
        child = await sys.waitpid(-1, { nohang: true });
      }
    } catch {
      // ECHILD: nobody left
    }
  });
  await sys.signal('SIGINT', () => {
    interrupted = true;
  });
  const [readEnd, writeEnd] = await sys.pipe();
  for (let k = 1; k <= workers; k++) {
    if ((await sys.fork()) === 0) {
      await sys.write(writeEnd, `job ${k} done\n`);
      await sys.exit(k);
    }
  }
  let pending = '';
  while (!interrupted) {
    let data = '';
    try {
      data = await sys.read(readEnd, 16);
    } catch (error: any) {
      if (error.code === 'EINTR') continue;
      throw error;
    }
    pending += data;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      await sys.print(pending.slice(0, newline));
      lines++;
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  }
  await sys.close(readEnd);
  await sys.close(writeEnd);
  await sys.print(`shutdown: ${lines} jobs done, ${reaped} workers reaped`);
}

/** Given, do not change: the operator who presses Ctrl-C. argv = [pid, delay in ms]. */
export async function operator(sys: any, argv: number[]) {
  const [pid, ms] = argv;
  await sys.sleep(ms);
  try {
    await sys.kill(pid, "SIGINT");
  } catch {
    // The server is already gone.
  }
}
