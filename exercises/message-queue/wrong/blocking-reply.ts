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
  const reply = await sys.msgrcv(queue, me);
  await sys.print(`${n} squared is ${reply.data}`);
}

/** One request at a time, each answered at once. */
async function serve(sys: any, queue: number, clients: number) {
  for (let received = 0; received < clients; received++) {
    const { data } = await sys.msgrcv(queue, REQUEST);
    await sys.msgsnd(queue, data.pid, data.n * data.n);
  }
}
