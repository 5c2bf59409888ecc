/**
 * Attempts: stack overflows inside kernel code. The program recurses to the stack's limit and, in
 * the last frames before it, calls into the kernel (getpid, now, print, yield, Math.random, Date,
 * console.log), so the overflow strikes inside the kernel's own functions, midway through their
 * bookkeeping. It catches every error and then solves the task honestly.
 * Must: leave the kernel consistent: the honest part still earns full marks, and no run ends as
 * `crash`.
 */
const probes: ((sys: any) => unknown)[] = [
  (sys) => sys.getpid(),
  (sys) => sys.now(),
  () => Math.random(),
  () => Date.now(),
  () => new Date().getTime(),
  () => console.log('deep'),
  (sys) => sys.yield(),
  (sys) => sys.print(''),
];

/** Recurses until the stack overflows; from depth `from` on, runs `probe` in every frame first. */
function descend(depth: number, from: number, probe: () => unknown, record: { deepest: number; started: unknown[] }): number {
  record.deepest = depth;
  if (depth >= from) {
    try {
      record.started.push(probe());
    } catch {
      // the overflow struck inside the call
    }
  }
  return descend(depth + 1, from, probe, record) + 1;
}

async function provoke(sys: any): Promise<void> {
  for (const probe of probes) {
    const record = { deepest: 0, started: [] as unknown[] };
    try {
      descend(0, Infinity, () => undefined, record);
    } catch {
      // the limit, measured with the same frames
    }
    const from = record.deepest - 48;
    record.started = [];
    try {
      descend(0, from, () => probe(sys), record);
    } catch {
      // RangeError at the bottom
    }
    // Whatever call did start must settle before the next one.
    await Promise.allSettled(record.started.filter((value) => value instanceof Promise));
  }
}

export default async function main(sys: any, argv: string[]) {
  const [readEnd, writeEnd] = await sys.pipe();
  const pid = await sys.fork();
  // Probing costs some milliseconds: the first test's run (parent and child) does it.
  if (argv[0] === 'hello') await provoke(sys);
  if (pid === 0) {
    await sys.close(readEnd);
    await sys.write(writeEnd, argv[0]);
    await sys.close(writeEnd);
    return 0;
  }
  await sys.close(writeEnd);
  let message = '';
  for (let chunk = await sys.read(readEnd, 64); chunk !== ''; chunk = await sys.read(readEnd, 64)) message += chunk;
  await sys.close(readEnd);
  await sys.print(message);
  await sys.wait();
}
