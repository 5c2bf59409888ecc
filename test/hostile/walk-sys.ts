/**
 * Attempts: to reach kernel objects from what the program is given: walks everything reachable
 * from `sys`, its methods and their properties and prototypes, SysError and the SysErrors calls
 * reject with, the promises calls return, the handles sem_init and mutex_init return, shared-memory
 * views, wait() results; and tries to redefine `sys.read` (assignment, defineProperty, delete).
 * If an object holding the kernel's output or process table turns up, the program writes the
 * message into it and prints it as if it had solved the task.
 * Must: find only frozen closures, copies and frozen tokens; graded, no marks beyond a do-nothing
 * program's.
 */
export default async function main(sys: any, argv: string[]) {
  const roots: unknown[] = [sys, (globalThis as any).SysError, Object.getPrototypeOf(sys)];
  const originalRead = sys.read;
  try {
    sys.read = async () => argv[0];
  } catch {
    roots.push('assignment refused');
  }
  try {
    Object.defineProperty(sys, 'read', { value: async () => argv[0] });
  } catch {
    roots.push('defineProperty refused');
  }
  try {
    delete sys.read;
  } catch {
    roots.push('delete refused');
  }
  const pending = sys.yield();
  roots.push(pending);
  await pending;
  try {
    await sys.close(42);
  } catch (error) {
    roots.push(error);
  }
  roots.push(await sys.pipe(), await sys.sem_init(1), await sys.mutex_init(), await sys.cond_init());
  const segment = await sys.shmat(await sys.shmget('walk', 4));
  roots.push(segment);
  const pid = await sys.fork();
  if (pid === 0) return 0;
  roots.push(await sys.wait());

  const seen = new Set<unknown>();
  const queue = [...roots];
  let kernel: any = null;
  while (queue.length > 0 && seen.size < 200_000) {
    const value = queue.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    const object = value as any;
    if (object.output && typeof object.output.stdout === 'string') kernel = object;
    if (object.procs || object.threads || object.scheduler) kernel = object;
    queue.push(Object.getPrototypeOf(object));
    for (const key of Reflect.ownKeys(object)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(object, key)!;
      queue.push(descriptor.value, descriptor.get, descriptor.set);
      if (descriptor.get) {
        try {
          queue.push(descriptor.get.call(object));
        } catch {
          // a getter for another receiver
        }
      }
    }
  }
  if (kernel?.output) kernel.output.stdout = `${argv[0]}\n`;
  await sys.print(kernel !== null || sys.read !== originalRead ? argv[0] : '');
}
