/**
 * Attempts: to break the kernel with arguments that run the program's code inside the kernel's
 * own step: options whose getter throws, printed objects whose toJSON and toString throw, a Proxy
 * whose every trap throws, exec arguments whose toString throws, and a 60,000-deep nested array to
 * print, whose formatting overflows the stack inside the kernel. One kind per run, chosen by the
 * run's Math.random, so exploring the schedules tries them all.
 * Must: end the run (today as `crash`: see the report) without harming the grader; graded, no
 * marks beyond a do-nothing program's, and the next submission graded normally.
 */
export default async function main(sys: any) {
  let deep: unknown = [];
  for (let i = 0; i < 60_000; i++) deep = [deep];
  const boom = () => {
    throw new Error('thrown from inside the kernel');
  };
  const traps: (() => Promise<unknown>)[] = [
    () => sys.waitpid(-1, Object.defineProperty({}, 'nohang', { get: boom })),
    () => sys.print({ toJSON: boom, toString: boom }),
    () => sys.print(new Proxy({}, { get: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, has: boom, getPrototypeOf: boom })),
    () => sys.exec('echo', [{ toString: boom }]),
    () => sys.print(deep),
  ];
  const pick = traps[Math.floor(Math.random() * traps.length)];
  try {
    await pick();
  } catch {
    // EINVAL, ECHILD: the kernel refused it properly
  }
  await sys.print('');
}
