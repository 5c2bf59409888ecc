// Forgets that the parent holds a write end too.
export default async function main(sys: any, argv: string[]) {
  const [r, w] = await sys.pipe();
  if ((await sys.fork()) === 0) {
    await sys.close(r);
    await sys.write(w, argv[0]);
    await sys.close(w);
    return 0;
  }
  let text = '';
  for (let s = await sys.read(r, 16); s !== ''; s = await sys.read(r, 16)) text += s;
  await sys.print(text);
  await sys.wait();
}
