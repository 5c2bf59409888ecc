/**
 * A small job server. Workers report through a pipe and exit; a SIGCHLD
 * handler reaps them as they go, and SIGINT (Ctrl-C, sent by the operator)
 * shuts the server down. The server keeps its own write end of the pipe, so
 * its read never sees end of file: it waits for work until it is told to stop.
 */
export default async function main(sys: any, argv: string[]) {
  const workers = Number(argv[0]);
  let jobs = 0;
  let reaped = 0;
  let stopping = false;

  // Signals of one kind do not queue: one SIGCHLD may stand for several exits,
  // so reap until no exited child is left (null) or no child at all (ECHILD).
  await sys.signal('SIGCHLD', async () => {
    reaped++; // one more SIGCHLD, one more worker
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
  // Only set a flag: the main loop notices it when its read fails with EINTR.
  await sys.signal('SIGINT', () => {
    stopping = true;
  });

  const [readEnd, writeEnd] = await sys.pipe();
  for (let k = 1; k <= workers; k++) {
    if ((await sys.fork()) === 0) {
      await sys.close(readEnd);
      await sys.write(writeEnd, `job ${k} done\n`);
      await sys.close(writeEnd);
      return k; // the exit status says which worker this was
    }
  }

  while (!stopping) {
    let reports: string;
    try {
      reports = await sys.read(readEnd, 64);
    } catch (error: any) {
      // A handler ran while read was blocked: go round and look at the flag again.
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

/** Given, do not change: the operator who presses Ctrl-C. argv = [pid, delay in ms]. */
export async function operator(sys: any, argv: number[]) {
  const [pid, ms] = argv;
  await sys.sleep(ms);
  try {
    await sys.kill(pid, 'SIGINT');
  } catch {
    // The server is already gone.
  }
}
