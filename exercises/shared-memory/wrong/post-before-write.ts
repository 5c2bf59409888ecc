// A writer passes each of its messages to a reader through a System V shared-memory segment.
// Segment layout: cell 0 = the message's length, cells 1 .. length = its character codes.
const KEY = 'message';

export async function writer(sys: any, argv: string[]) {
  // Named semaphores: whichever process opens one first creates it with value 0.
  const ready = await sys.sem_open('ready', 0); // a message is in the segment
  const done = await sys.sem_open('done', 0); // the reader is finished with it
  for (const message of argv) {
    const id = await sys.shmget(KEY, 1 + message.length);
    const shm = await sys.shmat(id);
    // Wake the reader at once, then write.
    await sys.sem_post(ready);
    await shm.store(0, message.length);
    for (let i = 0; i < message.length; i++) await shm.store(1 + i, message.charCodeAt(i));
    await sys.shmdt(shm);
    // The next shmget of this key must find the old segment removed, so wait for the reader.
    await sys.sem_wait(done);
  }
}

export async function reader(sys: any, argv: number[]) {
  const count = Number(argv[0]);
  const ready = await sys.sem_open('ready', 0);
  const done = await sys.sem_open('done', 0);
  for (let k = 0; k < count; k++) {
    await sys.sem_wait(ready);
    // The segment exists by now; asking for 1 cell finds it whatever its size.
    const id = await sys.shmget(KEY, 1);
    const shm = await sys.shmat(id);
    const length = await shm.load(0);
    let message = '';
    for (let i = 0; i < length; i++) message += String.fromCharCode(await shm.load(1 + i));
    await sys.print(message);
    await sys.shmdt(shm);
    const { nattch } = await sys.shmctl(id, 'IPC_STAT');
    await sys.print(`attached: ${nattch}`);
    // Nobody needs the segment any more: free it and its key.
    await sys.shmctl(id, 'IPC_RMID');
    await sys.sem_post(done);
  }
}
