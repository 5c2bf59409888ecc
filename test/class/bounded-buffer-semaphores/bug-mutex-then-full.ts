const SIZE = 2;

async function setup(sys: any) {
  const id = await sys.shmget('bounded-buffer', 2 + SIZE);
  return {
    buf: await sys.shmat(id),
    empty: await sys.sem_open('empty', SIZE),
    full: await sys.sem_open('full', 0),
    mutex: await sys.sem_open('mutex', 1),
  };
}

async function advance(buf: any, cell: number): Promise<number> {
  const index = await buf.load(cell);
  await buf.store(cell, (index + 1) % SIZE);
  return index;
}

export async function producer(sys: any, argv: number[]) {
  const [id, count] = argv.map(Number);
  const b = await setup(sys);
  for (let k = 1; k <= count; k++) {
    await sys.sem_wait(b.empty);
    await sys.sem_wait(b.mutex);
    const slot = await advance(b.buf, 0);
    await b.buf.store(2 + slot, id * 100 + k);
    await sys.sem_post(b.mutex);
    await sys.sem_post(b.full);
  }
  await sys.shmdt(b.buf);
}

export async function consumer(sys: any, argv: number[]) {
  const b = await setup(sys);
  for (let k = 0; k < Number(argv[0]); k++) {
    await sys.sem_wait(b.mutex);
    await sys.sem_wait(b.full);
    const slot = await advance(b.buf, 1);
    const item = await b.buf.load(2 + slot);
    await sys.sem_post(b.mutex);
    await sys.sem_post(b.empty);
    await sys.print(item);
  }
  await sys.shmdt(b.buf);
}
