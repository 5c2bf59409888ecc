/**
 * Attempts: a memory bomb by string doubling. Doubling only builds ropes (cheap), so the program
 * then flattens the 160-million-character rope again and again, keeping every copy.
 * Must: end as `memory-limit`, with no marks, and leave a working grader.
 */
export default async function main(sys: any) {
  let text = 'rendezvous';
  for (let i = 0; i < 24; i++) text += text;
  await sys.yield();
  const copies: string[] = [];
  for (;;) copies.push(text.toUpperCase() + copies.length);
}
