// The bounded buffer with three semaphores, for any number of producer and consumer processes.
// Shared segment: cell 0 = in, cell 1 = out, cells 2 .. 2 + BUFFER_SIZE - 1 = the slots.
const KEY = 'bounded-buffer';
const BUFFER_SIZE = 2;
const IN = 0;
const OUT = 1;
const SLOT = 2;

/** What every process opens: the segment and the three named semaphores (created by the first opener). */
async function openBuffer(sys: any) {
  const shm = await sys.shmat(await sys.shmget(KEY, SLOT + BUFFER_SIZE));
  const empty = await sys.sem_open('empty', BUFFER_SIZE); // free slots: all of them at first
  const full = await sys.sem_open('full', 0); // filled slots: none at first
  const mutex = await sys.sem_open('mutex', 1); // guards in, out and the slot between them
  return { shm, empty, full, mutex };
}

export async function producer(sys: any, argv: number[]) {
  const id = Number(argv[0]);
  const count = Number(argv[1]);
  const { shm, empty, full, mutex } = await openBuffer(sys);
  for (let seq = 1; seq <= count; seq++) {
    const item = id * 100 + seq;
    // Reserve a free slot before taking the mutex: waiting on `empty` while holding the mutex
    // would keep out the consumer that could free one.
    await sys.sem_wait(empty);
    await sys.sem_wait(mutex);
    const inIndex = await shm.load(IN);
    await shm.store(SLOT + inIndex, item);
    await shm.store(IN, (inIndex + 1) % BUFFER_SIZE);
    await sys.sem_post(mutex);
    await sys.sem_post(full);
  }
}

export async function consumer(sys: any, argv: number[]) {
  const count = Number(argv[0]);
  const { shm, empty, full, mutex } = await openBuffer(sys);
  for (let taken = 0; taken < count; taken++) {
    await sys.sem_wait(full);
    await sys.sem_wait(mutex);
    const outIndex = await shm.load(OUT);
    const item = await shm.load(SLOT + outIndex);
    await shm.store(OUT, (outIndex + 1) % BUFFER_SIZE);
    await sys.sem_post(mutex);
    await sys.sem_post(empty);
    await sys.print(item);
  }
  await sys.shmdt(shm);
}
