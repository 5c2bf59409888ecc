async function worker(sys: any, jobs: number, results: number) {
  let message = await sys.mailbox_receive(jobs);
  while (message.data !== null) {
    const { index, n } = message.data;
    await sys.mailbox_send(results, { index, n, sum: (n * (n + 1)) / 2 });
    message = await sys.mailbox_receive(jobs);
  }
  return 0;
}

export default async function main(sys: any, argv: unknown[]) {
  const numbers = argv.map(Number);
  const jobs = await sys.mailbox_create('jobs', { capacity: 2 });
  const results = await sys.mailbox_create('results');
  for (let i = 0; i < 3; i++) if ((await sys.fork()) === 0) return worker(sys, jobs, results);
  for (let index = 0; index < numbers.length; index++) await sys.mailbox_send(jobs, { index, n: numbers[index] });
  const lines: { n: number; sum: number }[] = [];
  for (let k = 0; k < numbers.length; k++) {
    const { n, sum } = (await sys.mailbox_receive(results)).data;
    lines.push({ n, sum });
  }
  lines.sort((a, b) => a.n - b.n);
  for (const { n, sum } of lines) await sys.print(`${n} -> ${sum}`);
  for (let i = 0; i < 3; i++) await sys.mailbox_send(jobs, null);
  for (let i = 0; i < 3; i++) await sys.wait();
  await sys.mailbox_destroy(jobs);
  await sys.mailbox_destroy(results);
}
