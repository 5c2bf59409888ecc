/**
 * Attempts: to fill memory that outlives the run: Symbol.for keys go into a registry V8 keeps for
 * the whole isolate and never collects, so the next submission in the same isolate would start
 * with a full heap (memory-limit for an honest solution).
 * Must: end as `memory-limit` or `timeout` (whichever this run meets first), and the next
 * submission graded through the same sandbox scores as alone: the registry lives for one run.
 */
export default async function main(sys: any) {
  await sys.yield();
  const padding = 'k'.repeat(200);
  for (let i = 0; ; i++) Symbol.for(`${padding}${i}`);
}
