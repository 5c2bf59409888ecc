/**
 * Attempts: to block the isolate's thread without using CPU: Atomics.wait on a SharedArrayBuffer
 * nobody will ever notify, with no timeout, hoping a CPU-time limit never fires.
 * Must: be cut off all the same (the limit is enforced on the run's real time): status `timeout`,
 * no marks.
 */
export default async function main(sys: any) {
  await sys.yield();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  await sys.print('woke up');
}
