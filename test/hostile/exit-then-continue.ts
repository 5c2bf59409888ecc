/**
 * Attempts: to keep acting after exit: the parent calls `sys.exit(0)` without awaiting it and,
 * from callbacks it queued a varying number of microtasks ahead, keeps calling the kernel while
 * its child runs. Before the fix such a call was attributed to the running child, so the dead
 * parent printed the message as its child and earned 8 of 9.
 * Must: nothing a process does after exit takes effect; graded, no marks beyond a do-nothing
 * program's.
 */
export default async function main(sys: any, argv: string[]) {
  const me = sys.getpid();
  const pid = await sys.fork();
  if (pid === 0) {
    for (let i = 0; i < 40; i++) await sys.yield();
    return 0;
  }
  sys.exit(0);
  let printed = false;
  for (let hops = 0; hops < 40; hops++) {
    let chain: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < hops; i++) chain = chain.then(() => undefined);
    void chain.then(() => {
      const seen = sys.getpid();
      if (printed || seen === undefined || seen === me) return;
      printed = true;
      sys.print(argv[0]).catch(() => undefined);
    });
  }
  await new Promise(() => undefined);
}
