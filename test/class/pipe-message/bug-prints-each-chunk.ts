// Prints as it reads, one print per chunk.
export default async function main(sys: any, argv: string[]) {
  const [r, w] = await sys.pipe();
  if ((await sys.fork()) === 0) {
    await sys.close(r);
    await sys.write(w, argv[0]);
    await sys.close(w);
    return 0;
  }
  await sys.close(w);
  for (let s = await sys.read(r, 64); s !== ''; s = await sys.read(r, 64)) await sys.print(s);
  await sys.close(r);
  await sys.wait();
}
