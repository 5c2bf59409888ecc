/**
 * Attempts: an endless loop without system calls inside a signal handler the process sends itself,
 * so the loop runs in the kernel's signal delivery rather than in main.
 * Must: be cut off by the CPU limit like any other endless loop: status `timeout`, no marks.
 */
export default async function main(sys: any) {
  await sys.signal('SIGUSR1', () => {
    while (true) {
      // spin inside the handler
    }
  });
  await sys.kill(sys.getpid(), 'SIGUSR1');
  await sys.yield();
  await sys.print('unreachable');
}
