export default async function main(sys: any, argv: unknown[]) {
  const queue = await sys.msgget('squares');
  const numbers = argv.map(Number);
  for (const n of numbers) {
    if ((await sys.fork()) === 0) {
      await sys.msgsnd(queue, 1, { pid: sys.getpid(), n });
      const reply = await sys.msgrcv(queue, sys.getpid());
      await sys.print(n + ' squared is ' + reply.data);
      return 0;
    }
  }
  const waiting: { to: number; value: number }[] = [];
  let taken = 0;
  while (taken < numbers.length || waiting.length > 0) {
    if (taken < numbers.length) {
      const { data } = await sys.msgrcv(queue, 1);
      taken++;
      waiting.push({ to: data.pid, value: data.n * data.n });
    }
    const still: { to: number; value: number }[] = [];
    for (const reply of waiting) {
      if (taken === numbers.length) {
        await sys.msgsnd(queue, reply.to, reply.value);
        continue;
      }
      try {
        await sys.msgsnd(queue, reply.to, reply.value, { nowait: true });
      } catch (error: any) {
        if (error.code !== 'EAGAIN') throw error;
        still.push(reply);
      }
    }
    waiting.splice(0, waiting.length, ...still);
  }
  for (let i = 0; i < numbers.length; i++) await sys.wait();
  await sys.msgctl(queue, 'IPC_RMID');
  await sys.print('served ' + numbers.length + ' requests');
}
