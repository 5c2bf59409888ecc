export default async function main(sys: any, argv: string[]) {
  const workers = Number(argv[0]);
  // 1. Install a SIGCHLD handler that reaps every exited child (print `worker K reaped`),
  //    and a SIGINT handler that tells the main loop to stop.
  // 2. Create a pipe; fork `workers` children: worker k writes `job k done\n` into the pipe
  //    and exits with status k.
  // 3. Read reports from the pipe and copy them to stdout until SIGINT, then print
  //    `shutdown: J jobs done, R workers reaped` and exit with status 0.
  const [readEnd, writeEnd] = await sys.pipe();
  for (let k = 1; k <= workers; k++) {
    if ((await sys.fork()) === 0) {
      await sys.write(writeEnd, `job ${k} done\n`);
      return k;
    }
  }
  await sys.write(1, await sys.read(readEnd, 64));
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
