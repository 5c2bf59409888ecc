// One read with a big buffer should get everything.
export default async function main(sys: any, argv: string[]) {
  const [r, w] = await sys.pipe();
  if ((await sys.fork()) === 0) {
    await sys.close(r);
    await sys.write(w, argv[0]);
    await sys.close(w);
    return 0;
  }
  await sys.close(w);
  const text = await sys.read(r, 1024);
  await sys.close(r);
  await sys.print(text);
  await sys.wait();
}
