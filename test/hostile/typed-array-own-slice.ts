/**
 * Attempts: to run its own code inside the kernel's step: the kernel used to copy a typed array by
 * calling its slice(), so an own slice() could hand the kernel an object whose getter ran later,
 * inside Kernel.step (waitpid reading its options), and ended the run as "the simulated kernel
 * failed (not your fault)" with the program's text.
 * Must: the kernel refuses the argument (EINVAL, in the caller's turn); graded, no marks beyond a
 * do-nothing program's, and the kernel never reports a failure of its own.
 */
export default async function main(sys: any) {
  const options = new Uint8Array(1);
  Object.defineProperty(options, 'slice', {
    value: () => ({
      get nohang() {
        throw new Error('thrown from inside the kernel');
      },
    }),
  });
  try {
    await sys.waitpid(-1, options);
  } catch (error) {
    await sys.print((error as { code?: string }).code);
  }
}
