// The server counts down the words it still expects from each client.
export default async function main(sys: any, argv: string[]) {
  const server = sys.getpid();
  const remaining = new Map<number, number>();
  for (const entry of argv) {
    const words = String(entry).split(' ').filter(Boolean);
    const pid = await sys.fork();
    if (pid === 0) {
      for (const word of words) {
        await sys.send_to(server, word);
        const answer = await sys.receive_from(server);
        await sys.print(`${word} -> ${answer.data}`);
      }
      return 0;
    }
    remaining.set(pid, words.length);
  }
  let served = 0;
  while ([...remaining.values()].some((left) => left > 0)) {
    const request = await sys.receive_from('any');
    await sys.send_to(request.from, String(request.data).toUpperCase());
    remaining.set(request.from, remaining.get(request.from)! - 1);
    served++;
  }
  for (let i = 0; i < argv.length; i++) await sys.wait();
  await sys.print(`served ${served} requests`);
}
