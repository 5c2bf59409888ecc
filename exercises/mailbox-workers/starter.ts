export default async function main(sys: any, argv: unknown[]) {
  const jobs = argv.map(Number);
  // Create the mailboxes 'jobs' (capacity 2) and 'results', fork 3 workers, send the jobs,
  // collect one result per job, print `n -> sum` lines sorted by n, then stop the workers
  // with one poison pill (null) each and wait for them.
  for (const n of jobs) await sys.print(`${n} -> ?`);
}
