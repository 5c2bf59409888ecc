// Takes the turn for itself instead of giving it away.
const TURN = 2;
const COUNTER = 3;

async function lock(shm: any, me: number) {
  const other = 1 - me;
  await shm.store(me, 1);
  await shm.store(TURN, me);
  while ((await shm.load(other)) === 1 && (await shm.load(TURN)) === other) {
    // busy wait: each load lets the other process run
  }
}

async function unlock(shm: any, me: number) {
  await shm.store(me, 0);
}

async function increment(shm: any, me: number, times: number) {
  for (let i = 0; i < times; i++) {
    await lock(shm, me);
    const value = await shm.load(COUNTER);
    await shm.store(COUNTER, value + 1);
    await unlock(shm, me);
  }
}

export default async function main(sys: any, argv: number[]) {
  const id = await sys.shmget('peterson', 4);
  const shm = await sys.shmat(id);
  if ((await sys.fork()) === 0) {
    await increment(shm, 1, Number(argv[1]));
    await sys.shmdt(shm);
    return 0;
  }
  await increment(shm, 0, Number(argv[0]));
  await sys.wait();
  await sys.print(`counter: ${await shm.load(COUNTER)}`);
  await sys.shmdt(shm);
  await sys.shmctl(id, 'IPC_RMID');
  return 0;
}
