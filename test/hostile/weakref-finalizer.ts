/**
 * Attempts: to run code at times no schedule decides, or to pass data between runs and processes,
 * through the garbage collector: FinalizationRegistry callbacks that print later (in another run,
 * or while another process runs) and consume Math.random, and WeakRefs whose emptying decides what
 * gets printed. Output would then depend on when V8 collects, not on the run's seed.
 * Must: have no WeakRef nor FinalizationRegistry (they were removed from the realm); graded,
 * deterministic, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  const g = globalThis as any;
  const notes: string[] = [];
  if (typeof g.FinalizationRegistry === 'function') {
    const registry = new g.FinalizationRegistry((held: string) => {
      Math.random();
      sys.print(held).catch(() => undefined);
    });
    for (let i = 0; i < 1000; i++) registry.register({ payload: new Array(1000).fill(i) }, argv[0]);
    notes.push('registry');
  }
  if (typeof g.WeakRef === 'function') {
    const refs = Array.from({ length: 50 }, (_, i) => new g.WeakRef({ i, payload: new Array(10000).fill(i) }));
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 20; i++) void new Array(20000).fill(round);
      await sys.yield();
    }
    notes.push(`${refs.filter((ref) => ref.deref() === undefined).length} collected`);
  }
  await sys.print(notes.length > 0 ? `${argv[0]} ${notes.join(' ')}` : '');
}
