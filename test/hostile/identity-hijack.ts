/**
 * Attempts: to make calls as another process. While its child runs, the parent's code runs from
 * callbacks it queued a varying number of microtasks ahead and calls the kernel, which used to
 * attribute a call to whichever thread it had just resumed: the parent closed the child's pipe end,
 * wrote into it and printed, all as the child, without ever running its own turn.
 * Must: a call made while another process runs never acts as that process (it fails with EINVAL);
 * graded, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  const me = sys.getpid();
  const [readEnd, writeEnd] = await sys.pipe();
  const pid = await sys.fork();
  if (pid === 0) {
    for (let i = 0; i < 30; i++) await sys.yield();
    await sys.close(readEnd);
    await sys.close(writeEnd);
    return 0;
  }
  await sys.close(writeEnd);
  let injected = false;
  for (let hops = 0; hops < 30; hops++) {
    let chain: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < hops; i++) chain = chain.then(() => undefined);
    void chain.then(() => {
      const seen = sys.getpid();
      if (injected || seen === undefined || seen === me) return;
      injected = true;
      sys.write(writeEnd, argv[0]).catch(() => undefined);
    });
  }
  let message = '';
  for (;;) {
    const chunk = await sys.read(readEnd, 64);
    if (chunk === '') break;
    message += chunk;
  }
  await sys.close(readEnd);
  await sys.print(message);
  await sys.wait();
}
