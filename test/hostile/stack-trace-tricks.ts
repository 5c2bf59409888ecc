/**
 * Attempts: V8's stack-trace hooks: install Error.prepareStackTrace (directly, on a subclass, via
 * defineProperty) so that an error raised inside kernel code hands over structured call sites,
 * whose getThis()/getFunction() would be the kernel's objects; Error.captureStackTrace on objects
 * the program passes into kernel calls; and reading the stacks of SysErrors the kernel throws.
 * If a kernel object (anything holding the process table or the output) turns up, the program
 * writes the message into the kernel's output and prints it as if it had solved the task.
 * Must: get strings at most, never a kernel object; graded, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  const sites: any[] = [];
  const prepare = (_error: Error, callSites: any[]) => {
    sites.push(...callSites);
    return 'hooked';
  };
  try {
    (Error as any).prepareStackTrace = prepare;
  } catch {
    // Error is frozen
  }
  try {
    Object.defineProperty(Error, 'prepareStackTrace', { value: prepare });
  } catch {
    // frozen
  }
  class Hooked extends Error {
    static prepareStackTrace = prepare;
  }
  const traps = {
    get nohang() {
      const holder: any = {};
      Error.captureStackTrace(holder);
      void holder.stack;
      void new Hooked('inside the kernel').stack;
      void new Error('inside the kernel').stack;
      return true;
    },
  };
  try {
    await sys.waitpid(-1, traps);
  } catch (error: any) {
    void error.stack;
  }
  try {
    await sys.close(99);
  } catch (error: any) {
    void error.stack;
  }
  let forged = false;
  for (const site of sites) {
    for (const value of [site.getThis?.(), site.getFunction?.()]) {
      if (value && typeof value === 'object' && value.output) {
        value.output.stdout = `${argv[0]}\n`;
        forged = true;
      }
    }
  }
  await sys.print(forged || sites.length > 0 ? argv[0] : '');
}
