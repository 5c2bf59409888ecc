// Uses all BUFFER_SIZE slots by keeping a shared count of the items in the buffer,
// updated with a load then a store (count++ and count-- of the textbook).
const KEY = 'bounded-buffer';
const BUFFER_SIZE = 4;
const SLOT = 2;
const COUNT = SLOT + BUFFER_SIZE;

async function attachBuffer(sys: any) {
  const id = await sys.shmget(KEY, COUNT + 1);
  return { id, shm: await sys.shmat(id) };
}

export async function producer(sys: any, argv: number[]) {
  const count = Number(argv[0]);
  const { shm } = await attachBuffer(sys);
  let inIndex = 0;
  for (let item = 1; item <= count; item++) {
    while ((await shm.load(COUNT)) === BUFFER_SIZE) {
      // busy wait while full
    }
    await shm.store(SLOT + inIndex, item);
    inIndex = (inIndex + 1) % BUFFER_SIZE;
    const items = await shm.load(COUNT);
    await shm.store(COUNT, items + 1);
  }
  await sys.shmdt(shm);
}

export async function consumer(sys: any, argv: number[]) {
  const count = Number(argv[0]);
  const { id, shm } = await attachBuffer(sys);
  let outIndex = 0;
  for (let taken = 0; taken < count; taken++) {
    while ((await shm.load(COUNT)) === 0) {
      // busy wait while empty
    }
    const item = await shm.load(SLOT + outIndex);
    outIndex = (outIndex + 1) % BUFFER_SIZE;
    const items = await shm.load(COUNT);
    await shm.store(COUNT, items - 1);
    await sys.print(item);
  }
  await sys.shmdt(shm);
  await sys.shmctl(id, 'IPC_RMID');
}
