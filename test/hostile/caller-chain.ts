/**
 * Attempts: `arguments.callee.caller` and `fn.arguments` from sloppy-mode functions (made with
 * Function, since the module itself is strict) that the kernel calls: a getter on a call's options,
 * toJSON and toString on printed objects, a Proxy's traps, a signal handler and a thread body.
 * Walking up the callers, a sloppy kernel function would hand over its arguments: the kernel, the
 * thread, the request. If any kernel object turns up, the program writes the message into the
 * kernel's output and prints it as if it had solved the task.
 * Must: find no caller above the program's own code (the runtime is strict); graded, no marks
 * beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  const found: unknown[] = [];
  try {
    (globalThis as any).found = found;
  } catch {
    // the global object is frozen: the collector goes to the spy as an argument
  }
  const makeSpy = Function('found', 'message', `
    return function spy() {
      let fn = arguments.callee;
      for (let depth = 0; depth < 20; depth++) {
        let caller = null;
        try { caller = fn.caller; } catch (e) { break; }
        if (!caller) break;
        found.push(caller);
        try { found.push(...Array.from(caller.arguments || [])); } catch (e) { /* strict */ }
        fn = caller;
      }
      for (const value of found) {
        if (value && typeof value === 'object' && value.output && typeof value.output.stdout === 'string') value.output.stdout = message + '\\n';
      }
      return 1;
    };
  `) as (found: unknown[], message: string) => (...args: unknown[]) => unknown;
  const spy = makeSpy(found, argv[0]);
  const options = Object.defineProperty({}, 'nohang', { get: spy });
  const printed = { toJSON: spy, toString: spy };
  const proxy = new Proxy({}, { get: spy, ownKeys: () => (spy(), []), getOwnPropertyDescriptor: spy as any });
  for (const attempt of [
    () => sys.waitpid(-1, options),
    () => sys.print(printed),
    () => sys.print(proxy),
    () => sys.write(1, proxy),
    // exec replaces the image: a child does it, and its spy forges on the spot if it can.
    () => sys.fork().then((pid: number) => (pid === 0 ? sys.exec('true', [printed]) : sys.wait())),
    () => sys.signal('SIGUSR1', spy).then(() => sys.kill(sys.getpid(), 'SIGUSR1')).then(() => sys.yield()),
    () => sys.thread(spy).then((tid: number) => sys.join(tid)),
  ]) {
    try {
      await attempt();
    } catch {
      // EINVAL, ECHILD, ...
    }
  }
  let forged = false;
  for (const value of found) {
    const candidate = value as any;
    if (candidate && typeof candidate === 'object' && candidate.output && typeof candidate.output.stdout === 'string') {
      candidate.output.stdout = `${argv[0]}\n`;
      forged = true;
    }
  }
  await sys.print(forged || found.length > 0 ? argv[0] : '');
}
