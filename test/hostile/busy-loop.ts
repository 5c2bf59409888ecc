/**
 * Attempts: an endless loop with no system call at all, so the kernel never gets control back.
 * Must: be cut off by the CPU limit; the grading stops with status `timeout` and no marks.
 */
export default async function main() {
  while (true) {
    // spin
  }
}
