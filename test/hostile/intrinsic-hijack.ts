/**
 * Attempts: to capture the kernel's own objects by hooking the intrinsics kernel code calls on its
 * data (Array.prototype.push and splice, Map.prototype.get and set, Set.prototype.add,
 * Promise.prototype.then, Function.prototype.bind, Reflect.apply, Object.freeze and Object.keys):
 * a hook would receive the kernel's process table, threads or output as `this` or as arguments,
 * and the program would then write the expected message into the kernel's output directly.
 * Must: hook nothing (the intrinsics are frozen); graded, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  const captured: unknown[] = [];
  const hook = (holder: any, key: string) => {
    const original = holder[key];
    const replacement = function (this: unknown, ...args: unknown[]) {
      captured.push(this, ...args);
      return original.apply(this, args);
    };
    try {
      holder[key] = replacement;
    } catch {
      try {
        Object.defineProperty(holder, key, { value: replacement });
      } catch {
        // frozen
      }
    }
  };
  hook(Array.prototype, 'push');
  hook(Array.prototype, 'splice');
  hook(Map.prototype, 'get');
  hook(Map.prototype, 'set');
  hook(Set.prototype, 'add');
  hook(Promise.prototype, 'then');
  hook(Function.prototype, 'bind');
  hook(Reflect, 'apply');
  hook(Object, 'freeze');
  hook(Object, 'keys');
  const [readEnd, writeEnd] = await sys.pipe();
  await sys.write(writeEnd, 'x');
  await sys.read(readEnd, 1);
  for (const value of captured) {
    const candidate = value as any;
    if (candidate && typeof candidate === 'object' && candidate.output && typeof candidate.output.stdout === 'string') {
      candidate.output.stdout = `${argv[0]}\n`;
    }
  }
  await sys.print(captured.length > 0 ? argv[0] : '');
}
