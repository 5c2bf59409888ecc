export default async function main(sys: any, argv: string[]) {
  const [r, w] = await sys.pipe();
  if ((await sys.fork()) === 0) {
    await sys.close(r);
    await sys.write(w, argv[0]);
    await sys.close(w);
    return 0;
  }
  await sys.close(w);
  let text = '';
  for (;;) {
    const s = await sys.read(r, 32);
    if (s === '') break;
    text += s;
  }
  await sys.close(r);
  await sys.print(text);
}
