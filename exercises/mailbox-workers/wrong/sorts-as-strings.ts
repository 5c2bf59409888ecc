/**
 * A pool of three workers sharing one mailbox of jobs. Which worker takes a
 * job is the scheduler's choice, so every result says which job it answers,
 * and every worker runs until it receives a poison pill (null).
 */
const WORKERS = 3;
const PILL = null;

export default async function main(sys: any, argv: unknown[]) {
  const jobs = argv.map(Number);
  const jobBox = await sys.mailbox_create('jobs', { capacity: 2 });
  const resultBox = await sys.mailbox_create('results');
  for (let i = 0; i < WORKERS; i++) {
    if ((await sys.fork()) === 0) return worker(sys, jobBox, resultBox);
  }
  for (const n of jobs) await sys.mailbox_send(jobBox, n);
  const results: { n: number; sum: number }[] = [];
  while (results.length < jobs.length) results.push((await sys.mailbox_receive(resultBox)).data);
  // Results arrive in the order the workers finish, not the order the jobs were sent.
  results.sort((a, b) => (String(a.n) < String(b.n) ? -1 : 1));
  for (const { n, sum } of results) await sys.print(`${n} -> ${sum}`);
  // One pill per worker: a worker that has taken a pill receives nothing more.
  for (let i = 0; i < WORKERS; i++) await sys.mailbox_send(jobBox, PILL);
  for (let i = 0; i < WORKERS; i++) await sys.wait();
  await sys.mailbox_destroy(jobBox);
  await sys.mailbox_destroy(resultBox);
}

/** Takes jobs until the pill; each result carries its job. */
async function worker(sys: any, jobBox: number, resultBox: number) {
  for (;;) {
    const { data } = await sys.mailbox_receive(jobBox);
    if (data === PILL) return 0;
    await sys.mailbox_send(resultBox, { n: data, sum: (data * (data + 1)) / 2 });
  }
}
