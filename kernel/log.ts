/** Entries of a log's first chunk: most runs of a grading are short and record fewer. */
const FIRST_CHUNK = 3 * 64;
/** Entries of every later chunk: a chunk stays a regular heap object (under V8's 128 KiB), never one of its own pages. */
const CHUNK = 3 * 2048;

/**
 * A chunk's entries, by index: an object with no prototype, filled to its
 * size when made. Not an array: the sandbox freezes `Array.prototype`, and
 * V8 then sends every element store into any array down its slow path
 * (measured in the isolate: 4.3 times dearer), while an object whose
 * prototype chain is empty keeps the fast one, as long as it never grows.
 */
type Chunk<T> = { [index: number]: T };

/** Chunks of finished runs, emptied, for later runs of this realm; at most as many as the limits say (3 MiB of large ones). */
const spare = { first: [] as Chunk<unknown>[], large: [] as Chunk<unknown>[] };
const SPARE_LIMIT = { first: 256, large: 64 };

/** Where a released log points: frozen, so that an entry recorded after the run ends throws instead of landing in another run's chunk. */
const RELEASED: Chunk<never> = Object.freeze(Object.create(null) as Chunk<never>);

function sizeOf(kind: keyof typeof spare): number {
  return kind === 'first' ? FIRST_CHUNK : CHUNK;
}

/**
 * The chunks of one run's logs. Every entry a run records lives as long as
 * the run (a fork may replay it), so a long run's logs reached the old
 * generation a few megabytes at a time, each time on fresh pages that the
 * operating system faulted in and the garbage collector copied and marked
 * (a third of a long ping-pong's time). Chunks come from the realm's spare
 * ones instead and go back to them, emptied, when the run's result has been
 * taken (`release`), so the runs of a grading reuse the same memory.
 */
export class ChunkArena {
  private readonly taken: { kind: keyof typeof spare; chunk: Chunk<unknown> }[] = [];
  private readonly logs: ChunkedLog<unknown>[] = [];
  private released = false;

  take<T>(kind: keyof typeof spare): Chunk<T> {
    if (this.released) throw new Error('a finished run recorded an entry');
    const chunk = spare[kind].pop() ?? filledChunk(sizeOf(kind));
    this.taken.push({ kind, chunk });
    return chunk as Chunk<T>;
  }

  /** `log` is emptied and closed when the run is over. */
  keep(log: ChunkedLog<unknown>): void {
    this.logs.push(log);
  }

  /** The run is over and nothing reads its logs again: their chunks go back to the realm holding nothing of the run. */
  release(): void {
    if (this.released) return;
    for (const log of this.logs) log.close();
    this.released = true;
    for (const { kind, chunk } of this.taken) if (spare[kind].length < SPARE_LIMIT[kind]) spare[kind].push(chunk);
  }
}

/**
 * An append-only list kept in chunks, for what a run records at every step
 * (the decisions, the fork history): a short first chunk, then large ones.
 * Full chunks never change, so a copy shares them.
 */
export class ChunkedLog<T> {
  constructor(
    private readonly arena: ChunkArena,
    /** Full chunks: never written again. */
    private full: Chunk<T>[] = [],
    /** The chunk being filled. */
    private tail: Chunk<T> = arena.take<T>('first'),
    /** Entries in `tail`. */
    private filled = 0,
  ) {
    arena.keep(this as ChunkedLog<unknown>);
  }

  /** What the tail holds when full. */
  private get capacity(): number {
    return this.full.length === 0 ? FIRST_CHUNK : CHUNK;
  }

  /** Entries in the full chunks. */
  private get fullLength(): number {
    return this.full.length === 0 ? 0 : FIRST_CHUNK + (this.full.length - 1) * CHUNK;
  }

  get length(): number {
    return this.fullLength + this.filled;
  }

  push(value: T): void {
    if (this.filled === this.capacity) this.nextChunk();
    this.tail[this.filled++] = value;
  }

  /** Three entries that belong together, in one chunk (both sizes are multiples of three). */
  push3(first: T, second: T, third: T): void {
    if (this.filled === this.capacity) this.nextChunk();
    const tail = this.tail;
    const at = this.filled;
    tail[at] = first;
    tail[at + 1] = second;
    tail[at + 2] = third;
    this.filled = at + 3;
  }

  at(index: number): T {
    this.checkOpen();
    const fullLength = this.fullLength;
    if (index >= fullLength) return this.tail[index - fullLength];
    if (index < FIRST_CHUNK) return this.full[0][index];
    const later = index - FIRST_CHUNK;
    return this.full[1 + Math.floor(later / CHUNK)][later % CHUNK];
  }

  /** A log with the same entries that grows apart from this one: full chunks are shared, the tail's entries copied. */
  copy(): ChunkedLog<T> {
    this.checkOpen();
    const tail = this.arena.take<T>(this.full.length === 0 ? 'first' : 'large');
    for (let i = 0; i < this.filled; i++) tail[i] = this.tail[i];
    return new ChunkedLog(this.arena, this.full.slice(), tail, this.filled);
  }

  /** Visits the entries a chunk at a time, in order, each chunk's as an array. */
  forEachChunk(visit: (entries: readonly T[]) => void): void {
    this.checkOpen();
    this.full.forEach((chunk, index) => visit(entriesOf(chunk, index === 0 ? FIRST_CHUNK : CHUNK)));
    visit(entriesOf(this.tail, this.filled));
  }

  /** For the arena: overwrites the entries (a copy's shared chunks are emptied twice) and points the log at nothing. */
  close(): void {
    this.full.forEach((chunk, index) => emptyChunk(chunk, index === 0 ? FIRST_CHUNK : CHUNK));
    emptyChunk(this.tail, this.filled);
    this.full = [];
    this.tail = RELEASED;
    this.filled = 0;
  }

  private nextChunk(): void {
    this.full.push(this.tail);
    this.tail = this.arena.take<T>('large');
    this.filled = 0;
  }

  private checkOpen(): void {
    if (this.tail === RELEASED) throw new Error('a finished run read a log whose memory it gave back');
  }
}

function filledChunk(size: number): Chunk<unknown> {
  const chunk = Object.create(null) as Chunk<unknown>;
  for (let i = 0; i < size; i++) chunk[i] = 0;
  return chunk;
}

function emptyChunk(chunk: Chunk<unknown>, count: number): void {
  for (let i = 0; i < count; i++) chunk[i] = 0;
}

function entriesOf<T>(chunk: Chunk<T>, count: number): T[] {
  const entries: T[] = [];
  for (let i = 0; i < count; i++) entries.push(chunk[i]);
  return entries;
}
