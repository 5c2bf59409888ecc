export default async function main(sys: any, argv: string[]) {
  const workers = Number(argv[0]);

  await sys.signal('SIGCHLD', async () => {
    for (;;) {
      let child;
      try {
        child = await sys.waitpid(-1, { nohang: true });
      } catch (error: any) {
        if (error.code === 'ECHILD') return;
        throw error;
      }
      if (child === null) return;
      await sys.print(`worker ${child.status} reaped`);
    }
  });

  const [readEnd, writeEnd] = await sys.pipe();
  for (let k = 1; k <= workers; k++) {
    if ((await sys.fork()) === 0) {
      await sys.close(readEnd);
      await sys.write(writeEnd, `job ${k} done\n`);
      await sys.close(writeEnd);
      return k;
    }
  }

  for (;;) {
    let reports: string;
    try {
      reports = await sys.read(readEnd, 64);
    } catch (error: any) {
      if (error.code === 'EINTR') continue;
      throw error;
    }
    await sys.write(1, reports);
  }
}

export async function operator(sys: any, argv: number[]) {
  const [pid, ms] = argv;
  await sys.sleep(ms);
  try {
    await sys.kill(pid, 'SIGINT');
  } catch {
    // The server is already gone.
  }
}
