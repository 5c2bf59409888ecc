async function client(sys: any, server: number, words: string[]) {
  for (const word of words) {
    await sys.send_to(server, word);
    const { data } = await sys.receive_from(server);
    await sys.print(word + ' -> ' + data);
  }
}

export default async function main(sys: any, argv: string[]) {
  const me = sys.getpid();
  let total = 0;
  for (const list of argv) {
    const words = list.split(' ');
    total += words.length;
    if ((await sys.fork()) === 0) return client(sys, me, words);
  }
  for (let i = 0; i < total; i++) {
    const m = await sys.receive_from('any');
    await sys.send_to(m.from, m.data.toUpperCase());
  }
  for (let i = 0; i < argv.length; i++) await sys.wait();
  await sys.print('served ' + total + ' requests');
}
