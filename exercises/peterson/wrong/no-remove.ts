// Peterson's algorithm: mutual exclusion for two processes with nothing but loads and stores.
// Shared segment: cells 0 and 1 = flag[0], flag[1]; cell 2 = turn; cell 3 = the counter.
const FLAG = 0;
const TURN = 2;
const COUNTER = 3;

async function lock(shm: any, me: number) {
  const other = 1 - me;
  await shm.store(FLAG + me, 1); // I want to enter...
  await shm.store(TURN, other); // ...but you go first if you want to too.
  // Wait only while the other wants in AND it is its turn: whoever wrote turn last waits.
  while ((await shm.load(FLAG + other)) === 1 && (await shm.load(TURN)) === other) {
    // busy wait: each load is a scheduling point
  }
}

async function unlock(shm: any, me: number) {
  await shm.store(FLAG + me, 0);
}

export default async function main(sys: any, argv: number[]) {
  const id = await sys.shmget('peterson', 4);
  const shm = await sys.shmat(id);
  const pid = await sys.fork();
  // The parent is process 0, the child process 1; each does its own number of increments.
  const me = pid === 0 ? 1 : 0;
  const times = Number(argv[me]);
  for (let i = 0; i < times; i++) {
    await lock(shm, me);
    // Critical section: a load then a store, which two processes must never interleave.
    const value = await shm.load(COUNTER);
    await shm.store(COUNTER, value + 1);
    await unlock(shm, me);
  }
  if (pid === 0) {
    await sys.shmdt(shm);
    return 0;
  }
  await sys.wait();
  await sys.print(`counter: ${await shm.load(COUNTER)}`);
  await sys.shmdt(shm);
}
