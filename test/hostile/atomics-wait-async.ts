/**
 * Attempts: Atomics.waitAsync with a timeout. Its promise settles on the real clock, from a task
 * isolated-vm cannot run: before the fix this aborted the whole Node process hosting the sandbox
 * ("terminate called without an active exception"). Graded through the sandbox's child process.
 * Must: find no waitAsync; the process dies with an Uncaught TypeError; graded, no marks beyond a
 * do-nothing program's, and the child process survives.
 */
export default async function main(sys: any, argv: string[]) {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const result = (Atomics as any).waitAsync(cell, 0, 0, 1);
  await result.value;
  await sys.print(argv[0]);
}
