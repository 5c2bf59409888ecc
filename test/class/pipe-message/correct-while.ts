// Parent reads small chunks until end of file; child writes and leaves.
export default async function main(sys: any, argv: string[]) {
  const [r, w] = await sys.pipe();
  const child = await sys.fork();
  if (child === 0) {
    await sys.close(r);
    await sys.write(w, argv[0]);
    await sys.close(w);
    return 0;
  }
  await sys.close(w);
  let text = '';
  let piece = await sys.read(r, 4);
  while (piece !== '') {
    text += piece;
    piece = await sys.read(r, 4);
  }
  await sys.close(r);
  await sys.print(text);
  await sys.waitpid(child);
  return 0;
}
