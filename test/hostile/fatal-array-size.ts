/**
 * Attempts: an allocation V8 does not fail gracefully: splitting a 268-million-character string
 * into an array is a fatal "invalid size" error that aborts the whole Node process hosting the
 * isolate, not just the isolate.
 * Must: cost only the sandbox's child process, which the client reports as `memory-limit` (no
 * marks) and replaces, so the next grading works.
 */
export default async function main(sys: any) {
  const text = 'x'.repeat(2 ** 28);
  await sys.yield();
  const characters = text.split('');
  await sys.print(characters.length);
}
