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
  const results = [];
  for (let i = 0; i < argv.length; i++) results.push((await sys.mailbox_receive(resultsBox)).data);
  results.sort((a, b) => a.n - b.n);
  for (const { n, sum } of results) await sys.print(`${n} -> ${sum}`);
  for (let w = 0; w < 3; w++) await sys.mailbox_send(jobsBox, null);
  await sys.mailbox_destroy(jobsBox);
  await sys.mailbox_destroy(resultsBox);
  for (let w = 0; w < 3; w++) await sys.wait();
}
