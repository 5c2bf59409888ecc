const state = { jobs: 0, reaped: 0, stop: false };

async function reapAll(sys: any) {
  for (;;) {
    let child;
    try {
      child = await sys.waitpid(-1, { nohang: true });
    } catch (e: any) {
      if (e.code === 'ECHILD') return;
      throw e;
    }
    if (!child) return;
    state.reaped++;
    await sys.print('worker ' + child.status + ' reaped');
  }
}

export default async function main(sys: any, argv: string[]) {
  const w = Number(argv[0]);
  await sys.signal('SIGCHLD', () => reapAll(sys));
  await sys.signal('SIGINT', () => {
    state.stop = true;
  });
  const [r, wr] = await sys.pipe();
  for (let k = 1; k <= w; k++) {
    if ((await sys.fork()) === 0) {
      await sys.close(r);
      await sys.write(wr, 'job ' + k + ' done\n');
      return k;
    }
  }
  // A read may bring part of a report: only whole lines are copied, so a handler's line never lands inside one.
  let pending = '';
  while (!state.stop) {
    try {
      pending += await sys.read(r, 100);
      const end = pending.lastIndexOf('\n') + 1;
      const lines = pending.slice(0, end);
      pending = pending.slice(end);
      if (lines === '') continue;
      await sys.write(1, lines);
      state.jobs += lines.split('\n').length - 1;
    } catch (e: any) {
      if (e.code !== 'EINTR') throw e;
    }
  }
  await sys.close(r);
  await sys.close(wr);
  await sys.print('shutdown: ' + state.jobs + ' jobs done, ' + state.reaped + ' workers reaped');
  return 0;
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
