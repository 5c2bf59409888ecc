export default async function main(sys: any, argv: unknown[]) {
  const wordLists = argv.map((list) => String(list).split(' '));
  // Fork one client per entry of argv. A client sends its words to the server one by one with
  // send_to and prints `word -> WORD` for each answer. The server (this process) receives from
  // 'any', answers with send_to, waits for its clients and prints `served N requests`.
  await sys.print(`served 0 requests (${wordLists.length} clients)`);
}
