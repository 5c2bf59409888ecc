/**
 * An upper-casing server over direct links. The server receives from 'any'
 * process and answers the pid the message came from. Each client has at most
 * one request outstanding, so the protocol never relies on a link buffering
 * anything: it works whether a link holds 0, 2 or any number of messages.
 */
export default async function main(sys: any, argv: unknown[]) {
  const server = sys.getpid();
  const wordLists = argv.map((list) => String(list).split(' ').filter((word) => word !== ''));
  for (const words of wordLists) {
    if ((await sys.fork()) === 0) return client(sys, server, words);
  }
  const requests = wordLists.reduce((sum, words) => sum + words.length, 0);
  for (let served = 0; served < requests; served++) {
    const { from, data } = await sys.receive_from('any');
    // `from` is the kernel's word for who sent it: the only pid to trust for the reply.
    await sys.send_to(from, String(data).toUpperCase());
  }
  await sys.print(`served ${requests} requests`);
}

/** One word at a time: send it, then wait for its answer before sending the next. */
async function client(sys: any, server: number, words: string[]) {
  for (const word of words) {
    await sys.send_to(server, word);
    const { data } = await sys.receive_from(server);
    await sys.print(`${word} -> ${data}`);
  }
}
