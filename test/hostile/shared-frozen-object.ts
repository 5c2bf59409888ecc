/**
 * Attempts: shared memory outside the kernel between processes. The kernel copies message data,
 * but passes frozen objects on as they are (its own handles are frozen), and a frozen Map is still
 * mutable. The parent sends a frozen Map through a message queue, the child puts the message in it,
 * and the parent prints what it finds there after wait(), never having used a pipe.
 * Must: in pipe-message msgget is not even enabled (ENOSYS): graded, no marks beyond a do-nothing
 * program's. With message queues enabled this still leaks today (a kernel gap, see the report).
 */
export default async function main(sys: any, argv: string[]) {
  const shared = Object.freeze(new Map<string, string>());
  try {
    const queue = await sys.msgget('covert');
    const pid = await sys.fork();
    if (pid === 0) {
      const { data } = await sys.msgrcv(queue, 0);
      (data as Map<string, string>).set('message', argv[0]);
      return 0;
    }
    await sys.msgsnd(queue, 1, shared);
    await sys.wait();
  } catch {
    // ENOSYS: no message queues in this exercise
  }
  await sys.print(shared.get('message') ?? '');
}
