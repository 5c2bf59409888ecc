export async function writer(sys: any, argv: string[]) {
  const ready = await sys.sem_open('ready', 0);
  const done = await sys.sem_open('done', 0);
  let k = 0;
  while (k < argv.length) {
    const m = argv[k++];
    const shm = await sys.shmat(await sys.shmget('message', 1 + m.length));
    await shm.store(0, m.length);
    let i = 0;
    for (const ch of m) await shm.store(1 + i++, ch.charCodeAt(0));
    await sys.shmdt(shm);
    await sys.sem_post(ready);
    await sys.sem_wait(done);
  }
  return 0;
}

export async function reader(sys: any, argv: number[]) {
  const ready = await sys.sem_open('ready', 0);
  const done = await sys.sem_open('done', 0);
  for (let left = Number(argv[0]); left > 0; left--) {
    await sys.sem_wait(ready);
    const id = await sys.shmget('message', 1);
    const shm = await sys.shmat(id);
    const length = await shm.load(0);
    const chars: string[] = [];
    for (let i = 1; i <= length; i++) chars.push(String.fromCharCode(await shm.load(i)));
    await sys.shmdt(shm);
    await sys.print(chars.join(''));
    await sys.print(`attached: ${(await sys.shmctl(id, 'IPC_STAT')).nattch}`);
    await sys.shmctl(id, 'IPC_RMID');
    await sys.sem_post(done);
  }
  return 0;
}
