/** Entries per chunk: a chunk stays a regular heap object (under V8's 128 KiB), never one of its own pages. */
const CHUNK = 3 * 2048;

/**
 * An append-only list kept in fixed-size chunks, for what a run records at
 * every step (the decisions, the fork history). One array grown to a long
 * run's length is reallocated again and again, each time on fresh pages the
 * operating system must fault in (5 % of a ping-pong run); chunks are
 * allocated once each, and a full chunk never changes, so a copy shares it.
 */
export class ChunkedLog<T> {
  constructor(
    /** Chunks filled to CHUNK entries: never written again. */
    private readonly full: T[][] = [],
    /** The chunk being filled. */
    private tail: T[] = [],
  ) {}

  get length(): number {
    return this.full.length * CHUNK + this.tail.length;
  }

  push(value: T): void {
    if (this.tail.length === CHUNK) this.nextChunk();
    this.tail.push(value);
  }

  /** Three entries that belong together, in one chunk (CHUNK is a multiple of three). */
  push3(first: T, second: T, third: T): void {
    if (this.tail.length === CHUNK) this.nextChunk();
    this.tail.push(first, second, third);
  }

  at(index: number): T {
    const chunk = Math.floor(index / CHUNK);
    return chunk < this.full.length ? this.full[chunk][index % CHUNK] : this.tail[index - this.full.length * CHUNK];
  }

  /** A log with the same entries that grows apart from this one: full chunks are shared. */
  copy(): ChunkedLog<T> {
    return new ChunkedLog(this.full.slice(), this.tail.slice());
  }

  /** Visits the entries a chunk at a time, in order. */
  forEachChunk(visit: (chunk: readonly T[]) => void): void {
    for (const chunk of this.full) visit(chunk);
    visit(this.tail);
  }

  private nextChunk(): void {
    this.full.push(this.tail);
    this.tail = [];
  }
}
