/**
 * Attempts: an endless loop that does make system calls (`sys.yield()`), so the kernel keeps
 * getting control back and the CPU limit is never what stops it: a busy wait that never ends.
 * Must: end every run at the step limit (`step-limit`); graded, no marks beyond a do-nothing
 * program's.
 */
export default async function main(sys: any) {
  for (;;) await sys.yield();
}
