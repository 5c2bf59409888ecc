const KEY = 'bounded-buffer';
const SIZE = 4;

const readIndex = (shm: any, cell: number): Promise<number> => shm.add(cell, 0);
const writeIndex = (shm: any, cell: number, from: number, to: number) => shm.compareExchange(cell, from, to);

async function open(sys: any) {
  const id = await sys.shmget(KEY, 2 + SIZE);
  return { id, shm: await sys.shmat(id) };
}

export async function producer(sys: any, argv: number[]) {
  const { shm } = await open(sys);
  let position = 0;
  for (let item = 1; item <= Number(argv[0]); item++) {
    while ((position + 1) % SIZE === (await readIndex(shm, 1))) {
      // full
    }
    await shm.store(2 + position, item);
    await writeIndex(shm, 0, position, (position + 1) % SIZE);
    position = (position + 1) % SIZE;
  }
  await sys.shmdt(shm);
  return 0;
}

export async function consumer(sys: any, argv: number[]) {
  const { id, shm } = await open(sys);
  let position = 0;
  for (let n = 0; n < Number(argv[0]); n++) {
    while ((await shm.load(0)) === position) {
      // empty
    }
    const item = await shm.load(2 + position);
    await writeIndex(shm, 1, position, (position + 1) % SIZE);
    position = (position + 1) % SIZE;
    await sys.print(item);
  }
  await sys.shmdt(shm);
  await sys.shmctl(id, 'IPC_RMID');
  return 0;
}
