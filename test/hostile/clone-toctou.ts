/**
 * Attempts: to smuggle a function (a closure over the sender's variables) into another process.
 * The kernel checks that message data holds no function, then copies it: a getter that answers a
 * number to the check and a function to the copy gets the sender's closure delivered; the child
 * calls it with the message and the parent prints what the closure stored.
 * Must: in pipe-message msgget is not even enabled (ENOSYS): graded, no marks beyond a do-nothing
 * program's. With message queues enabled this still leaks today (a kernel gap, see the report).
 */
export default async function main(sys: any, argv: string[]) {
  let heard = '';
  let reads = 0;
  const data = {
    get deliver() {
      reads++;
      return reads === 1 ? 0 : (message: string) => { heard = message; };
    },
  };
  try {
    const queue = await sys.msgget('smuggle');
    const pid = await sys.fork();
    if (pid === 0) {
      const received = await sys.msgrcv(queue, 0);
      if (typeof received.data.deliver === 'function') received.data.deliver(argv[0]);
      return 0;
    }
    await sys.msgsnd(queue, 1, data);
    await sys.wait();
  } catch {
    // ENOSYS: no message queues in this exercise
  }
  await sys.print(heard);
}
