/**
 * Attempts: to survive exit: wraps `await sys.exit(0)` in try/catch/finally, races it against a
 * resolved promise, and then goes on printing the message and closing descriptors, as if exit
 * were an exception it could catch.
 * Must: exit ends the process for good: the code after it never runs (its calls never settle);
 * graded, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  try {
    await Promise.race([sys.exit(0), Promise.resolve('raced')]);
  } catch {
    // exit is not an exception
  } finally {
    void sys.print(argv[0]).catch(() => undefined);
  }
  try {
    await sys.exit(0);
  } catch {
    // nor here
  } finally {
    await sys.print(argv[0]).catch(() => undefined);
  }
  await sys.print(argv[0]);
}
