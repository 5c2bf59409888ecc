async function client(sys: any, q: number, n: number) {
  const me = sys.getpid();
  await sys.msgsnd(q, 1, { pid: me, n });
  const { data } = await sys.msgrcv(q, me);
  await sys.print(`${n} squared is ${data}`);
  return 0;
}

export default async function main(sys: any, argv: unknown[]) {
  const q = await sys.msgget('squares');
  for (const n of argv) if ((await sys.fork()) === 0) return client(sys, q, Number(n));
  const pending: [number, number][] = [];
  const flush = async () => {
    while (pending.length) {
      try {
        await sys.msgsnd(q, pending[0][0], pending[0][1], { nowait: true });
        pending.shift();
      } catch (e: any) {
        if (e.code === 'EAGAIN') return;
        throw e;
      }
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const request = await sys.msgrcv(q, 1);
    pending.push([request.data.pid, request.data.n * request.data.n]);
    await flush();
  }
  for (const [type, value] of pending) await sys.msgsnd(q, type, value);
  for (let i = 0; i < argv.length; i++) await sys.wait();
  await sys.msgctl(q, 'IPC_RMID');
  await sys.print(`served ${argv.length} requests`);
}
