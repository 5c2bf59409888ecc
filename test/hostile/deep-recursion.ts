/**
 * Attempts: unbounded recursion, to overflow the stack the kernel shares with the program.
 * Must: kill only this process, with `Uncaught Maximum call stack size exceeded` on its stderr;
 * the kernel and the grading go on: graded, no marks.
 */
export default async function main(sys: any, argv: string[]) {
  const dive = (depth: number): number => dive(depth + 1) + 1;
  await sys.yield();
  await sys.print(dive(0) > 0 ? argv[0] : '');
}
