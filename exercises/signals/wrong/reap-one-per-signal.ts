export default async function main(sys: any, argv: string[]) {
  const workers = Number(argv[0]);
  let jobs = 0;
  let reaped = 0;
  let stopping = false;

  await sys.signal('SIGCHLD', async () => {
    let child;
    try {
      child = await sys.waitpid(-1, { nohang: true });
    } catch (error: any) {
      if (error.code === 'ECHILD') return;
      throw error;
    }
    if (child === null) return;
    reaped++;
    await sys.print(`worker ${child.status} reaped`);
  });
  await sys.signal('SIGINT', () => {
    stopping = true;
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

  while (!stopping) {
    let reports: string;
    try {
      reports = await sys.read(readEnd, 64);
    } catch (error: any) {
      if (error.code === 'EINTR') continue;
      throw error;
    }
    await sys.write(1, reports);
    jobs += reports.split('\n').length - 1;
  }

  await sys.close(readEnd);
  await sys.close(writeEnd);
  await sys.print(`shutdown: ${jobs} jobs done, ${reaped} workers reaped`);
  return 0;
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
