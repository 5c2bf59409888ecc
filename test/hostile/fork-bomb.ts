/**
 * Attempts: a fork bomb: the classic `for (7 times) fork()`, children included, which would make
 * 128 processes, and none exits before its own forks are done, so the process table fills up.
 * Must: stop at the run's process limit (fork rejects with EAGAIN once 64 processes exist); every
 * process then reaps its children and exits, so the run ends; graded, no marks beyond a
 * do-nothing program's.
 */
export default async function main(sys: any) {
  for (let i = 0; i < 7; i++) {
    try {
      await sys.fork();
    } catch (error: any) {
      if (error.code !== 'EAGAIN') throw error;
      await sys.write(2, 'EAGAIN\n');
    }
  }
  for (;;) {
    try {
      await sys.wait();
    } catch {
      return 1; // ECHILD: every child reaped
    }
  }
}
