// Prints inside the critical section: slower, but still right.
export async function producer(sys: any, argv: number[]) {
  const shm = await sys.shmat(await sys.shmget('bounded-buffer', 4));
  const empty = await sys.sem_open('empty', 2);
  const full = await sys.sem_open('full', 0);
  const mutex = await sys.sem_open('mutex', 1);
  let seq = 0;
  while (seq < Number(argv[1])) {
    seq++;
    await sys.sem_wait(empty);
    await sys.sem_wait(mutex);
    const i = await shm.load(0);
    await shm.store(2 + i, Number(argv[0]) * 100 + seq);
    await shm.store(0, i === 1 ? 0 : 1);
    await sys.sem_post(mutex);
    await sys.sem_post(full);
  }
  await sys.shmdt(shm);
}

export async function consumer(sys: any, argv: number[]) {
  const shm = await sys.shmat(await sys.shmget('bounded-buffer', 4));
  const empty = await sys.sem_open('empty', 2);
  const full = await sys.sem_open('full', 0);
  const mutex = await sys.sem_open('mutex', 1);
  for (let n = Number(argv[0]); n > 0; n--) {
    await sys.sem_wait(full);
    await sys.sem_wait(mutex);
    const o = await shm.load(1);
    await sys.print(await shm.load(2 + o));
    await shm.store(1, o === 1 ? 0 : 1);
    await sys.sem_post(mutex);
    await sys.sem_post(empty);
  }
  await sys.shmdt(shm);
}
