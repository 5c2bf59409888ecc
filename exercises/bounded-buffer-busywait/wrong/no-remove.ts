// The lecture's bounded buffer with busy waiting, between two processes that
// share one System V segment:  cell 0 = in, cell 1 = out, cells 2.. = the slots.
const KEY = 'bounded-buffer';
const BUFFER_SIZE = 4;
const IN = 0;
const OUT = 1;
const SLOT = 2;

/** Both sides get the same segment; the first shmget creates it with every cell 0 (in = out = 0: empty). */
async function attachBuffer(sys: any) {
  const id = await sys.shmget(KEY, SLOT + BUFFER_SIZE);
  return { id, shm: await sys.shmat(id) };
}

export async function producer(sys: any, argv: number[]) {
  const count = Number(argv[0]);
  const { shm } = await attachBuffer(sys);
  // Only the producer writes `in`, so its own copy is always up to date.
  let inIndex = 0;
  for (let item = 1; item <= count; item++) {
    const next = (inIndex + 1) % BUFFER_SIZE;
    // Full while advancing `in` would make it equal `out`: one slot always stays free.
    while ((await shm.add(OUT, 0)) === next) {
      // busy wait: every atomic read is a scheduling point, so the consumer gets to run
    }
    await shm.store(SLOT + inIndex, item);
    // Publish only after the item is in its slot: the atomic write orders the store before the consumer's read of `in`.
    await shm.compareExchange(IN, inIndex, next);
    inIndex = next;
  }
  await sys.shmdt(shm);
}

export async function consumer(sys: any, argv: number[]) {
  const count = Number(argv[0]);
  const { shm } = await attachBuffer(sys);
  let outIndex = 0;
  for (let taken = 0; taken < count; taken++) {
    // Empty while `in` equals `out`.
    while ((await shm.add(IN, 0)) === outIndex) {
      // busy wait
    }
    const item = await shm.load(SLOT + outIndex);
    // Free the slot only once the item has been read out of it.
    const next = (outIndex + 1) % BUFFER_SIZE;
    await shm.compareExchange(OUT, outIndex, next);
    outIndex = next;
    await sys.print(item);
  }
  await sys.shmdt(shm);
}
