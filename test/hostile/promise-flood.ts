/**
 * Attempts: a promise flood: millions of pending promises that never settle, each holding a
 * closure, kept reachable so the garbage collector cannot help.
 * Must: end as `memory-limit`, no marks, and leave a working grader.
 */
export default async function main(sys: any) {
  const pending: Promise<unknown>[] = [];
  await sys.yield();
  for (let i = 0; ; i++) pending.push(new Promise((resolve) => { if (i < 0) resolve(pending); }).then(() => pending));
}
