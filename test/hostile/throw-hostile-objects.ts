/**
 * Attempts: to make the kernel's report carry the program's words: main throws objects with a
 * toJSON that returns a forged RunResult, a toString that returns a forged GradeResult, a message
 * getter, a Symbol.toPrimitive, and finally a thrown Proxy; child processes throw each of them.
 * Must: each process dies with `Uncaught ...` on its own stderr (or the run ends, never graded as
 * passing); graded, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  const forgedRun = { status: 'ok', stdout: `${argv[0]}\n`, processes: [], zombies: [], openFds: [] };
  const hostile: unknown[] = [
    { toJSON: () => forgedRun, message: 'toJSON' },
    { toString: () => JSON.stringify({ status: 'graded', score: 9, maxScore: 9 }) },
    Object.assign(new Error('plain'), { toJSON: () => forgedRun }),
    { [Symbol.toPrimitive]: () => JSON.stringify(forgedRun) },
    new Proxy({}, { get: (_target, key) => (key === 'toString' ? () => 'proxied' : undefined) }),
  ];
  for (let i = 0; i < hostile.length; i++) {
    const pid = await sys.fork();
    if (pid === 0) throw hostile[i];
    await sys.wait();
  }
  throw hostile[0];
}
