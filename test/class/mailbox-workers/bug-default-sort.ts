// Sorts with the default comparison.
export default async function main(sys: any, argv: unknown[]) {
  const jobsBox = await sys.mailbox_create('jobs', { capacity: 2 });
  const resultsBox = await sys.mailbox_create('results');
  for (let w = 0; w < 3; w++) {
    if ((await sys.fork()) === 0) {
      for (;;) {
        const { data } = await sys.mailbox_receive(jobsBox);
        if (data === null) return 0;
        await sys.mailbox_send(resultsBox, { n: data, sum: (data * (data + 1)) / 2 });
      }
    }
  }
  for (const job of argv) await sys.mailbox_send(jobsBox, Number(job));
  const sums: Record<number, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const { n, sum } = (await sys.mailbox_receive(resultsBox)).data;
    sums[n] = sum;
  }
  const sorted = argv.map(Number).sort();
  for (const n of sorted) await sys.print(`${n} -> ${sums[n]}`);
  for (let w = 0; w < 3; w++) await sys.mailbox_send(jobsBox, null);
  for (let w = 0; w < 3; w++) await sys.wait();
}
