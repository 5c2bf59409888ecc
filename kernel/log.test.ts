import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ChunkArena, ChunkedLog } from './log';

/** More entries than two chunks hold, so reads, copies and maps cross chunk boundaries. */
const MANY = 3 * 2048 * 2 + 7;

describe('ChunkedLog', () => {
  it('keeps every entry in order across chunks', () => {
    const log = new ChunkedLog<number>(new ChunkArena());
    for (let i = 0; i < MANY; i++) log.push(i);
    expect(log.length).toBe(MANY);
    for (let i = 0; i < MANY; i++) if (log.at(i) !== i) throw new Error(`entry ${i} reads ${log.at(i)}`);
    const visited: number[] = [];
    log.forEachChunk((chunk) => visited.push(...chunk));
    expect(visited.every((value, index) => value === index) && visited.length === MANY).toBe(true);
  });

  it('keeps three entries pushed together in one chunk', () => {
    const log = new ChunkedLog<string>(new ChunkArena());
    for (let i = 0; i < MANY; i++) log.push3(`t${i}`, `c${i}`, `v${i}`);
    expect(log.length).toBe(3 * MANY);
    expect([log.at(3 * 4096), log.at(3 * 4096 + 1), log.at(3 * 4096 + 2)]).toEqual(['t4096', 'c4096', 'v4096']);
  });

  it('gives a copy that grows apart from the original', () => {
    const log = new ChunkedLog<number>(new ChunkArena());
    for (let i = 0; i < MANY; i++) log.push(i);
    const copy = log.copy();
    log.push(-1);
    copy.push(-2);
    copy.push(-3);
    expect([log.length, copy.length]).toEqual([MANY + 1, MANY + 2]);
    expect([log.at(MANY), copy.at(MANY), copy.at(MANY + 1)]).toEqual([-1, -2, -3]);
    expect(copy.at(MANY - 1)).toBe(MANY - 1);
  });

  it('copies a short log whose copy outgrows the first chunk', () => {
    const log = new ChunkedLog<number>(new ChunkArena());
    for (let i = 0; i < 10; i++) log.push(i);
    const copy = log.copy();
    for (let i = 10; i < MANY; i++) copy.push(i);
    expect(log.length).toBe(10);
    const visited: number[] = [];
    copy.forEachChunk((chunk) => visited.push(...chunk));
    expect(visited.length === MANY && visited.every((value, index) => value === index && copy.at(index) === index)).toBe(true);
  });
});

describe('ChunkArena', () => {
  it('refuses entries and reads once the run has given its chunks back', () => {
    const arena = new ChunkArena();
    const log = new ChunkedLog<number>(arena);
    log.push(1);
    arena.release();
    expect(() => log.push(2)).toThrow();
    expect(() => log.at(0)).toThrow();
    expect(() => log.copy()).toThrow();
  });

  it('gives the next run chunks that read only what it records itself', () => {
    const first = new ChunkArena();
    const old = new ChunkedLog<string>(first);
    for (let i = 0; i < MANY; i++) old.push('old');
    first.release();
    const next = new ChunkedLog<string>(new ChunkArena());
    for (let i = 0; i < MANY - 5; i++) next.push(`new ${i}`);
    const visited: string[] = [];
    next.forEachChunk((chunk) => visited.push(...chunk));
    expect(visited.length).toBe(MANY - 5);
    expect(visited.every((value, index) => value === `new ${index}` && next.at(index) === value)).toBe(true);
  });

  it('keeps nothing a finished run recorded alive', async () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const recorded = recordAndRelease();
    // A WeakRef holds its target until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(recorded.deref()).toBeUndefined();
  });
});

/** A run that records an object (in a copied log, past its first chunk) and ends: only a weak reference to the object is left. */
function recordAndRelease(): WeakRef<object> {
  const arena = new ChunkArena();
  const log = new ChunkedLog<unknown>(arena);
  for (let i = 0; i < MANY; i++) log.push(i);
  const copy = log.copy();
  const value = { payload: 'x'.repeat(1000) };
  log.push(value);
  copy.push(value);
  arena.release();
  return new WeakRef(value);
}

