/**
 * A squaring server on one System V message queue. Requests travel with type 1;
 * the reply to a client travels with the client's pid as its type, so each
 * client's msgrcv picks out its own reply and nobody else's.
 */
const KEY = 'squares';
const REQUEST = 1;

export default async function main(sys: any, argv: unknown[]) {
  const numbers = argv.map(Number);
  const queue = await sys.msgget(KEY);
  for (const n of numbers) {
    if ((await sys.fork()) === 0) return client(sys, queue, n);
  }
  await serve(sys, queue, numbers.length);
  for (let i = 0; i < numbers.length; i++) await sys.wait();
  // Every client has its reply (each exited after printing it): nobody needs the queue any more.
  await sys.msgctl(queue, 'IPC_RMID');
  await sys.print(`served ${numbers.length} requests`);
}

async function client(sys: any, queue: number, n: number) {
  const me = sys.getpid();
  await sys.msgsnd(queue, REQUEST, { pid: me, n });
  const reply = await sys.msgrcv(queue, 0); // the next message is the reply
  await sys.print(`${n} squared is ${reply.data}`);
}

/**
 * One reply per request, and none lost. The queue is small: if it fills up with
 * requests, a blocking msgsnd of a reply would wait for room that only this
 * server could make. So a reply that does not fit now is kept and retried after
 * the next request has been taken off the queue.
 */
async function serve(sys: any, queue: number, clients: number) {
  const unsent: { type: number; data: number }[] = [];
  for (let received = 0; received < clients; received++) {
    const { data } = await sys.msgrcv(queue, REQUEST);
    unsent.push({ type: data.pid, data: data.n * data.n });
    while (unsent.length > 0 && (await trySend(sys, queue, unsent[0]))) unsent.shift();
  }
  // Every request has been taken: only replies can fill the queue now, and their clients take them.
  for (const reply of unsent) await sys.msgsnd(queue, reply.type, reply.data);
}

/** Sends without blocking; false when the queue is full. */
async function trySend(sys: any, queue: number, reply: { type: number; data: number }): Promise<boolean> {
  try {
    await sys.msgsnd(queue, reply.type, reply.data, { nowait: true });
    return true;
  } catch (error: any) {
    if (error.code !== 'EAGAIN') throw error;
    return false;
  }
}
