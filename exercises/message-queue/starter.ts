const KEY = 'squares';

export default async function main(sys: any, argv: unknown[]) {
  const numbers = argv.map(Number);
  const queue = await sys.msgget(KEY);
  // Fork one client per number. A client sends {pid, n} with type 1 and waits for its reply.
  // The server (this process) answers every request with n * n, waits for its clients,
  // removes the queue and prints `served N requests`.
  await sys.print(`served 0 requests (queue ${queue}, ${numbers.length} numbers)`);
}
