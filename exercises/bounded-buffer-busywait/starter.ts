// Shared segment layout: cell 0 = in, cell 1 = out, cells 2 .. 2 + BUFFER_SIZE - 1 = the slots.
const KEY = 'bounded-buffer';
const BUFFER_SIZE = 4;

export async function producer(sys: any, argv: number[]) {
  const count = Number(argv[0]);
  const shm = await sys.shmat(await sys.shmget(KEY, 2 + BUFFER_SIZE));
  // Put the items 1, 2, ..., count into the buffer, waiting (busily) while it is full.
  void count;
  await sys.shmdt(shm);
}

export async function consumer(sys: any, argv: number[]) {
  const count = Number(argv[0]);
  const shm = await sys.shmat(await sys.shmget(KEY, 2 + BUFFER_SIZE));
  // Take `count` items out of the buffer, waiting (busily) while it is empty, and print each one.
  void count;
  await sys.shmdt(shm);
}
