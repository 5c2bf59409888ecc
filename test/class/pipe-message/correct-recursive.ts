async function readAll(sys: any, fd: number): Promise<string> {
  const chunk = await sys.read(fd, 1000);
  return chunk === '' ? '' : chunk + (await readAll(sys, fd));
}

async function child(sys: any, fds: number[], message: string) {
  await sys.close(fds[0]);
  await sys.write(fds[1], message);
  await sys.close(fds[1]);
}

export default async function main(sys: any, argv: string[]) {
  const fds = await sys.pipe();
  if ((await sys.fork()) === 0) {
    await child(sys, fds, argv[0]);
    return;
  }
  await sys.close(fds[1]);
  const message = await readAll(sys, fds[0]);
  await sys.close(fds[0]);
  await sys.print(message);
  await sys.wait();
}
