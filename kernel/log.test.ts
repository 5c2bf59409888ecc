import { ChunkedLog } from './log';

/** More entries than two chunks hold, so reads, copies and maps cross chunk boundaries. */
const MANY = 3 * 2048 * 2 + 7;

describe('ChunkedLog', () => {
  it('keeps every entry in order across chunks', () => {
    const log = new ChunkedLog<number>();
    for (let i = 0; i < MANY; i++) log.push(i);
    expect(log.length).toBe(MANY);
    for (let i = 0; i < MANY; i++) if (log.at(i) !== i) throw new Error(`entry ${i} reads ${log.at(i)}`);
    const visited: number[] = [];
    log.forEachChunk((chunk) => visited.push(...chunk));
    expect(visited.every((value, index) => value === index) && visited.length === MANY).toBe(true);
  });

  it('keeps three entries pushed together in one chunk', () => {
    const log = new ChunkedLog<string>();
    for (let i = 0; i < MANY; i++) log.push3(`t${i}`, `c${i}`, `v${i}`);
    expect(log.length).toBe(3 * MANY);
    expect([log.at(3 * 4096), log.at(3 * 4096 + 1), log.at(3 * 4096 + 2)]).toEqual(['t4096', 'c4096', 'v4096']);
  });

  it('gives a copy that grows apart from the original', () => {
    const log = new ChunkedLog<number>();
    for (let i = 0; i < MANY; i++) log.push(i);
    const copy = log.copy();
    log.push(-1);
    copy.push(-2);
    copy.push(-3);
    expect([log.length, copy.length]).toEqual([MANY + 1, MANY + 2]);
    expect([log.at(MANY), copy.at(MANY), copy.at(MANY + 1)]).toEqual([-1, -2, -3]);
    expect(copy.at(MANY - 1)).toBe(MANY - 1);
  });
});
