// Shared segment: cells 0 and 1 = flag[0], flag[1]; cell 2 = turn; cell 3 = the counter.
const COUNTER = 3;

async function lock(shm: any, me: number) {
  // Peterson's entry protocol for process `me` (0 or 1).
  void shm;
  void me;
}

async function unlock(shm: any, me: number) {
  // Peterson's exit protocol.
  void shm;
  void me;
}

export default async function main(sys: any, argv: number[]) {
  const id = await sys.shmget('peterson', 4);
  const shm = await sys.shmat(id);
  const me = 0;
  for (let i = 0; i < Number(argv[0]); i++) {
    await lock(shm, me);
    const value = await shm.load(COUNTER);
    await shm.store(COUNTER, value + 1);
    await unlock(shm, me);
  }
  // Fork a second process (process 1) that does argv[1] increments, wait for it, then print the counter.
  await sys.print(`counter: ${await shm.load(COUNTER)}`);
  await sys.shmdt(shm);
  await sys.shmctl(id, 'IPC_RMID');
}
