// Shared segment: cell 0 = in, cell 1 = out, cells 2 .. 2 + BUFFER_SIZE - 1 = the slots.
const KEY = 'bounded-buffer';
const BUFFER_SIZE = 2;

export async function producer(sys: any, argv: number[]) {
  const id = Number(argv[0]);
  const count = Number(argv[1]);
  const shm = await sys.shmat(await sys.shmget(KEY, 2 + BUFFER_SIZE));
  // Open the semaphores empty, full and mutex with sys.sem_open(name, initial value), then put
  // the items id * 100 + 1, ..., id * 100 + count into the buffer.
  void id;
  void count;
  await sys.shmdt(shm);
}

export async function consumer(sys: any, argv: number[]) {
  const count = Number(argv[0]);
  const shm = await sys.shmat(await sys.shmget(KEY, 2 + BUFFER_SIZE));
  // Take `count` items out of the buffer and print each one.
  void count;
  await sys.shmdt(shm);
}
