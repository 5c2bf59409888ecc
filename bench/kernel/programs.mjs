/**
 * The student programs the kernel benchmark runs, as source text (each is a
 * submission: one module whose default export is `main(sys, argv)`), with the
 * run settings each needs and a check that a run did what it should. A bench
 * figure counts only runs that pass their check.
 */

/** (a) Two processes bat one character back and forth over two pipes, argv[0] times. */
export const pingPong = {
  fileName: 'ping-pong.js',
  source: `
export default async function main(sys, argv) {
  const rounds = argv[0];
  const [pingRead, pingWrite] = await sys.pipe();
  const [pongRead, pongWrite] = await sys.pipe();
  if ((await sys.fork()) === 0) {
    await sys.close(pingWrite);
    await sys.close(pongRead);
    for (let i = 0; i < rounds; i++) await sys.write(pongWrite, await sys.read(pingRead, 1));
    return 0;
  }
  await sys.close(pingRead);
  await sys.close(pongWrite);
  let returned = 0;
  for (let i = 0; i < rounds; i++) {
    await sys.write(pingWrite, 'x');
    if ((await sys.read(pongRead, 1)) === 'x') returned++;
  }
  await sys.wait();
  await sys.print(returned);
}
`,
  settings: (rounds) => ({ enable: ['proc', 'fd', 'pipe'], maxSteps: rounds * 8 + 1000 }),
  check: (run, rounds) => run.status === 'ok' && run.stdout === `${rounds}\n`,
};

/**
 * (e) The ping-pong of (a) while argv[1] other processes sit blocked in a read
 * until the end: what a step costs in a run with many processes.
 */
export const crowdedPingPong = {
  fileName: 'crowded-ping-pong.js',
  source: `
export default async function main(sys, argv) {
  const [rounds, sleepers] = argv;
  const [holdRead, holdWrite] = await sys.pipe();
  for (let i = 0; i < sleepers; i++) {
    if ((await sys.fork()) === 0) {
      await sys.close(holdWrite);
      await sys.read(holdRead, 1);
      return 0;
    }
  }
  await sys.close(holdRead);
  const [pingRead, pingWrite] = await sys.pipe();
  const [pongRead, pongWrite] = await sys.pipe();
  if ((await sys.fork()) === 0) {
    await sys.close(holdWrite);
    for (let i = 0; i < rounds; i++) await sys.write(pongWrite, await sys.read(pingRead, 1));
    return 0;
  }
  let returned = 0;
  for (let i = 0; i < rounds; i++) {
    await sys.write(pingWrite, 'x');
    if ((await sys.read(pongRead, 1)) === 'x') returned++;
  }
  await sys.close(holdWrite);
  for (let i = 0; i <= sleepers; i++) await sys.wait();
  await sys.print(returned);
}
`,
  settings: (rounds, sleepers) => ({ enable: ['proc', 'fd', 'pipe'], maxSteps: rounds * 8 + sleepers * 20 + 1000 }),
  check: (run, rounds) => run.status === 'ok' && run.stdout === `${rounds}\n`,
};

/** (b) A child produces 20 lines into a pipe; the parent consumes them until end of file. */
export const producerConsumer = {
  fileName: 'producer-consumer.js',
  source: `
export default async function main(sys) {
  const [readEnd, writeEnd] = await sys.pipe();
  if ((await sys.fork()) === 0) {
    await sys.close(readEnd);
    for (let i = 0; i < 20; i++) await sys.write(writeEnd, 'item ' + i + '\\n');
    await sys.close(writeEnd);
    return 0;
  }
  await sys.close(writeEnd);
  let text = '';
  for (let chunk = await sys.read(readEnd, 16); chunk !== ''; chunk = await sys.read(readEnd, 16)) text += chunk;
  await sys.close(readEnd);
  await sys.wait();
  await sys.print(text.split('\\n').length - 1);
}
`,
  settings: () => ({ enable: ['proc', 'fd', 'pipe'] }),
  check: (run) => run.status === 'ok' && run.stdout === '20\n',
};

/** (c) A client sends argv[0] requests to a server's mailbox and waits for each reply in its own. */
export const mailboxRpc = {
  fileName: 'mailbox-rpc.js',
  source: `
export default async function main(sys, argv) {
  const rounds = argv[0];
  const requests = await sys.mailbox_create('requests');
  const replies = await sys.mailbox_create('replies');
  if ((await sys.fork()) === 0) {
    for (let i = 0; i < rounds; i++) {
      const { data } = await sys.mailbox_receive(requests);
      await sys.mailbox_send(replies, data + 1);
    }
    return 0;
  }
  let answered = 0;
  for (let i = 0; i < rounds; i++) {
    await sys.mailbox_send(requests, i);
    const { data } = await sys.mailbox_receive(replies);
    if (data === i + 1) answered++;
  }
  await sys.wait();
  await sys.print(answered);
}
`,
  settings: (rounds) => ({ enable: ['proc', 'fd', 'mailbox'], maxSteps: rounds * 8 + 1000 }),
  check: (run, rounds) => run.status === 'ok' && run.stdout === `${rounds}\n`,
};

/**
 * (d) Two producers and two consumers share a 4-slot ring buffer in shared
 * memory, guarded by the named semaphores empty, full and mutex: the textbook
 * solution, with no data race. argv[0] items per producer.
 */
export const boundedBuffer = {
  fileName: 'bounded-buffer.js',
  source: `
const SLOTS = 4;
const IN = SLOTS;
const OUT = SLOTS + 1;

export default async function main(sys, argv) {
  const items = argv[0];
  const shmid = await sys.shmget('ring', SLOTS + 2);
  const empty = await sys.sem_open('empty', SLOTS);
  const full = await sys.sem_open('full', 0);
  const mutex = await sys.sem_open('mutex', 1);
  for (let p = 0; p < 2; p++) {
    if ((await sys.fork()) === 0) {
      const ring = await sys.shmat(shmid);
      for (let i = 0; i < items; i++) {
        await sys.sem_wait(empty);
        await sys.sem_wait(mutex);
        const at = await ring.load(IN);
        await ring.store(at, p * 1000 + i + 1);
        await ring.store(IN, (at + 1) % SLOTS);
        await sys.sem_post(mutex);
        await sys.sem_post(full);
      }
      return 0;
    }
  }
  for (let c = 0; c < 2; c++) {
    if ((await sys.fork()) === 0) {
      const ring = await sys.shmat(shmid);
      let sum = 0;
      for (let i = 0; i < items; i++) {
        await sys.sem_wait(full);
        await sys.sem_wait(mutex);
        const at = await ring.load(OUT);
        sum += await ring.load(at);
        await ring.store(OUT, (at + 1) % SLOTS);
        await sys.sem_post(mutex);
        await sys.sem_post(empty);
      }
      await sys.print(sum);
      return 0;
    }
  }
  for (let i = 0; i < 4; i++) await sys.wait();
}
`,
  settings: () => ({ enable: ['proc', 'fd', 'sync', 'shm'] }),
  check: (run, items) => {
    if (run.status !== 'ok' || run.races.length !== 0) return false;
    const total = run.stdout.trim().split('\n').reduce((sum, line) => sum + Number(line), 0);
    // Producer p stores p * 1000 + 1 .. p * 1000 + items.
    return total === 1000 * items + items * (items + 1);
  },
};

/**
 * A deliberate data race (parent and child store to one cell with nothing
 * ordering them): shows that (d)'s switch really turns the detector on and off.
 */
export const racyCell = {
  fileName: 'racy-cell.js',
  source: `
export default async function main(sys) {
  const shmid = await sys.shmget('cell', 1);
  if ((await sys.fork()) === 0) {
    const cell = await sys.shmat(shmid);
    await cell.store(0, 1);
    return 0;
  }
  const cell = await sys.shmat(shmid);
  await cell.store(0, 2);
  await sys.wait();
}
`,
  settings: () => ({ enable: ['proc', 'shm'] }),
};
