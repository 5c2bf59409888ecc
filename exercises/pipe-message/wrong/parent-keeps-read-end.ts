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
  for (let chunk = await sys.read(readEnd, 64); chunk !== ''; chunk = await sys.read(readEnd, 64)) message += chunk;
  await sys.print(message);
  await sys.wait();
}
