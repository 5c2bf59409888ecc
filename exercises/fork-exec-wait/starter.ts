export default async function main(sys: any, argv: string[]) {
  const [program, ...args] = argv.length > 0 ? argv : ['ls'];
  // fork; the child execs `program` with `args`; the parent waits, then prints Child Complete.
  // A failing fork: Fork Failed on stderr, status 1. A failing exec: Exec Failed on stderr, the child exits with 1.
  await sys.print(`TODO: run ${[program, ...args].join(' ')}`);
  await sys.print('Child Complete');
}
