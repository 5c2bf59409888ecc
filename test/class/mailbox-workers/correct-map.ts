const POOL = 3;

export default async function main(sys: any, argv: unknown[]) {
  const jobs = argv.map((x) => Number(x));
  const jobsBox = await sys.mailbox_create('jobs', { capacity: 2 });
  const resultsBox = await sys.mailbox_create('results');
  for (let w = 0; w < POOL; w++) {
    if ((await sys.fork()) === 0) {
      for (;;) {
        const job = (await sys.mailbox_receive(jobsBox)).data;
        if (job === null) return 0;
        let sum = 0;
        for (let i = 1; i <= job; i++) sum += i;
        await sys.mailbox_send(resultsBox, [job, sum]);
      }
    }
  }
  for (const job of jobs) await sys.mailbox_send(jobsBox, job);
  const answers = new Map<number, number>();
  for (let i = 0; i < jobs.length; i++) {
    const [job, sum] = (await sys.mailbox_receive(resultsBox)).data;
    answers.set(job, sum);
  }
  for (const job of [...answers.keys()].sort((a, b) => a - b)) await sys.print(`${job} -> ${answers.get(job)}`);
  for (let w = 0; w < POOL; w++) await sys.mailbox_send(jobsBox, null);
  for (let w = 0; w < POOL; w++) await sys.wait();
}
