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
  for (let i = 0; i < argv.length; i++) {
    const request = await sys.msgrcv(q, 1);
    await sys.msgsnd(q, request.data.pid, request.data.n * request.data.n);
  }
  for (let i = 0; i < argv.length; i++) await sys.wait();
  await sys.msgctl(q, 'IPC_RMID');
  await sys.print(`served ${argv.length} requests`);
}
