/**
 * Attempts: to hold the grader past every limit with a builtin that loops in V8's C++ without
 * checking for interrupts: Array.prototype.lastIndexOf on an array-like claiming 2^53 - 1 elements.
 * isolated-vm's timeout never fires inside it.
 * Must: end as `timeout` at the grading's budget plus a small grace (the sandbox client's
 * watchdog kills the child and starts another), and the next submission scores as alone.
 */
export default async function main(sys: any) {
  await sys.yield();
  Array.prototype.lastIndexOf.call({ length: 2 ** 53 - 1 }, 'needle');
  await sys.print('never reached');
}
