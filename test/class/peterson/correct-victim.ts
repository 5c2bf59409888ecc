// Peterson written with a "victim" cell: whoever wrote it last is the one who waits.
export default async function main(sys: any, argv: number[]) {
  const shmid = await sys.shmget('peterson', 4);
  const mem = await sys.shmat(shmid);
  const pid = await sys.fork();
  const me = pid === 0 ? 1 : 0;
  const him = pid === 0 ? 0 : 1;
  const rounds = Number(argv[me]);

  for (let k = 0; k < rounds; k++) {
    await mem.store(me, 1);
    await mem.store(2, me);
    for (;;) {
      const hisFlag = await mem.load(him);
      if (hisFlag === 0) break;
      const victim = await mem.load(2);
      if (victim !== me) break;
    }
    const v = await mem.load(3);
    await mem.store(3, v + 1);
    await mem.store(me, 0);
  }

  if (pid === 0) {
    await sys.shmdt(mem);
    await sys.exit(0);
  }
  await sys.waitpid(pid);
  const total = await mem.load(3);
  await sys.print('counter: ' + total);
  await sys.shmdt(mem);
  await sys.shmctl(shmid, 'IPC_RMID');
}
