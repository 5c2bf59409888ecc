/**
 * Attempts: code that outlives its process. The child leaves a long promise chain behind that,
 * whenever another process runs, prints the message; then it blocks on a pipe. The parent kills it
 * with SIGKILL, waits for it and exits without printing anything itself. Before the fix the dead
 * child's print was attributed to the running parent and passed the output tests.
 * Must: a killed process's code changes nothing; graded, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  const [readEnd, writeEnd] = await sys.pipe();
  const pid = await sys.fork();
  if (pid === 0) {
    const me = sys.getpid();
    let printed = false;
    const lurk = (hops: number): Promise<void> => Promise.resolve().then(() => {
      const running = sys.getpid();
      if (!printed && running !== undefined && running !== me) {
        printed = true;
        sys.print(argv[0]).catch(() => undefined);
      }
      if (hops > 0) return lurk(hops - 1);
    });
    void lurk(3000);
    await sys.read(readEnd, 1);
    return 0;
  }
  await sys.kill(pid, 'SIGKILL');
  await sys.wait();
  await sys.close(readEnd);
  await sys.close(writeEnd);
}
