export default async function main(sys: any, argv: string[]) {
  const [readEnd, writeEnd] = await sys.pipe();
  const pid = await sys.fork();
  if (pid === 0) {
    await sys.close(readEnd);
    await sys.write(writeEnd, argv[0]);
    await sys.close(writeEnd);
    return 0;
  }
  await sys.close(writeEnd);
  let message = '';
  // A read that returns less than asked for means the writer is done.
  for (;;) {
    const chunk = await sys.read(readEnd, 10);
    message += chunk;
    if (chunk.length < 10) break;
  }
  await sys.close(readEnd);
  await sys.print(message);
  await sys.wait();
}
