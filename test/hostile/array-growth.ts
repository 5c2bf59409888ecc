/**
 * Attempts: a memory bomb: arrays of numbers kept forever, until the isolate runs out of heap.
 * Must: end as `memory-limit` (the isolate is disposed, or the sandbox's child process is replaced
 * if V8 itself gives up), with no marks, and leave a working grader.
 */
export default async function main(sys: any) {
  const hoard: number[][] = [];
  await sys.yield();
  for (;;) hoard.push(new Array(1 << 16).fill(hoard.length + 0.5));
}
