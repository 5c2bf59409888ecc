const BUFFER_SIZE = 4;

export async function producer(sys: any, argv: number[]) {
  const shm = await sys.shmat(await sys.shmget('bounded-buffer', 2 + BUFFER_SIZE));
  const count = Number(argv[0]);
  let i = 0;
  let item = 1;
  while (item <= count) {
    const out = await shm.add(1, 0);
    if ((i + 1) % BUFFER_SIZE === out) continue;
    await shm.store(2 + i, item);
    const next = (i + 1) % BUFFER_SIZE;
    await shm.compareExchange(0, i, next);
    i = next;
    item++;
  }
  await sys.shmdt(shm);
}

export async function consumer(sys: any, argv: number[]) {
  const id = await sys.shmget('bounded-buffer', 2 + BUFFER_SIZE);
  const shm = await sys.shmat(id);
  let o = 0;
  let taken = 0;
  while (taken < Number(argv[0])) {
    const inIndex = await shm.add(0, 0);
    if (inIndex === o) continue;
    const value = await shm.load(2 + o);
    const next = (o + 1) % BUFFER_SIZE;
    await shm.compareExchange(1, o, next);
    o = next;
    taken++;
    await sys.print(value);
  }
  await sys.shmdt(shm);
  await sys.shmctl(id, 'IPC_RMID');
}
