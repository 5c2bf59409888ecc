/**
 * Attempts: a channel between processes outside the kernel: RegExp.$1, RegExp.input and
 * RegExp.lastMatch are realm-wide and written by every match, so the child matches the message
 * (and assigns RegExp.input) and the parent, after wait(), reads it back and prints it, never
 * having used a pipe. Before the fix this passed the exercise's output tests.
 * Must: find no legacy RegExp statics; graded, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  const legacy = RegExp as any;
  const pid = await sys.fork();
  if (pid === 0) {
    /^([\s\S]*)$/.exec(argv[0]);
    try {
      legacy.input = argv[0];
    } catch {
      // no such accessor
    }
    return 0;
  }
  await sys.wait();
  const heard = [legacy.$1, legacy.input, legacy.lastMatch].find((value) => typeof value === 'string' && value !== '');
  await sys.print(heard ?? '');
}
