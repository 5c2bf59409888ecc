import { markKernelHandle } from './clone';
import { sysError } from './errors';
import type { Kernel } from './kernel';
import type { Proc } from './proc';
import { RaceDetector } from './race';
import type { Thread } from './thread';
import { SYSCALL, type Syscall } from './syscalls';

/** Most cells one segment may have (this machine's SHMMAX). */
export const SHM_MAX_CELLS = 1 << 20;

/** shmget keys: numbers or strings, `7` and `'7'` being different keys. */
export type ShmKey = number | string;

/** A System V shared-memory segment: cells of numbers that every attached process reads and writes in place. */
export class Segment {
  /** The cells, all 0 at creation; emptied once the segment is destroyed. */
  cells: Float64Array;
  /** Attachments across all processes (shm_nattch); a fork child's inherited ones count too. */
  nattch = 0;
  /** IPC_RMID was done: the key is free again, and the segment goes at the last detach. */
  removed = false;
  /** Finds unordered conflicting accesses; null when the run does not detect races. */
  private races: RaceDetector | null;
  /** The object every shmat of this segment resolves to, made at the first. */
  view: object | null = null;

  constructor(
    /** The shmid: shmat, shmctl and race reports name the segment by it. */
    readonly id: number,
    readonly key: ShmKey,
    readonly size: number,
    races: RaceDetector | null,
  ) {
    this.cells = new Float64Array(size);
    this.races = races;
  }

  load(thread: Thread, index: number, step: number): number {
    this.races?.access(thread, index, 'load', step, false);
    return this.cells[index];
  }

  store(thread: Thread, index: number, value: number, step: number): void {
    this.races?.access(thread, index, 'store', step, false);
    this.cells[index] = value;
  }

  /** Writes `value` if the cell holds `expected`; the old value either way. */
  compareExchange(thread: Thread, index: number, expected: number, value: number, step: number): number {
    const old = this.cells[index];
    const swapped = old === expected;
    if (swapped) this.cells[index] = value;
    this.races?.access(thread, index, 'compareExchange', step, swapped);
    return old;
  }

  /** Adds `delta` to the cell; the old value. */
  add(thread: Thread, index: number, delta: number, step: number): number {
    const old = this.cells[index];
    this.cells[index] = old + delta;
    this.races?.access(thread, index, 'add', step, true);
    return old;
  }

  /** One attachment fewer; a removed segment goes with its last. */
  detach(): void {
    this.nattch--;
    if (this.removed && this.nattch === 0) this.destroy();
  }

  /** IPC_RMID: the key is forgotten by the caller; the memory lives while anyone is attached. */
  remove(): void {
    this.removed = true;
    if (this.nattch === 0) this.destroy();
  }

  private destroy(): void {
    this.cells = new Float64Array(0);
    this.races = null;
  }
}

/** A host's segments: by key for shmget, by shmid for shmat and shmctl. */
export class ShmTable {
  /** Key → its segment; a removed segment's key is free for a new one. */
  private readonly byKey = new Map<ShmKey, Segment>();
  /** shmid → segment, removed ones included, so their ids keep failing with EIDRM. */
  private readonly byId = new Map<number, Segment>();

  /** shmget: the key's segment, created with `size` zero cells on first use. */
  get(k: Kernel, key: ShmKey, size: number): number {
    const existing = this.byKey.get(key);
    if (existing) {
      if (size > existing.size) {
        throw sysError('EINVAL', 'shmget', `segment ${existing.id} of key ${showKey(key)} has ${existing.size} cells, fewer than the ${size} asked for`);
      }
      return existing.id;
    }
    if (size < 1 || size > SHM_MAX_CELLS) {
      throw sysError('EINVAL', 'shmget', `a new segment needs between 1 and ${SHM_MAX_CELLS} cells, not ${size}`);
    }
    const id = k.newHandleId();
    const segment = new Segment(id, key, size, k.options.detectRaces ? new RaceDetector(id, k.races) : null);
    this.byKey.set(key, segment);
    this.byId.set(id, segment);
    return id;
  }

  /** The live segment with this shmid: EINVAL for none, EIDRM for a removed one. */
  lookup(id: number, call: string): Segment {
    const segment = this.byId.get(id);
    if (!segment) throw sysError('EINVAL', call, `there is no shared-memory segment ${id}`);
    if (segment.removed) throw sysError('EIDRM', call, `shared-memory segment ${id} was removed`);
    return segment;
  }

  /** Segments not removed: what a run leaves behind. */
  live(): Segment[] {
    return [...this.byKey.values()];
  }

  /** shmctl IPC_RMID. */
  remove(segment: Segment): void {
    if (this.byKey.get(segment.key) === segment) this.byKey.delete(segment.key);
    segment.remove();
  }
}

function showKey(key: ShmKey): string {
  return typeof key === 'string' ? `'${key.length > 20 ? `${key.slice(0, 20)}…` : key}'` : String(key);
}

/** Every view shmat has handed out, to its segment; a forged object is not in it. */
const views = new WeakMap<object, Segment>();

/** `value` is a segment object some shmat returned, attached in the caller or not. */
export function isView(value: unknown): boolean {
  return typeof value === 'object' && value !== null && views.has(value);
}

/**
 * The object shmat resolves to, one per segment: frozen, its methods each a
 * sys call (so a scheduling point) that names the view, never the segment.
 */
function makeView(k: Kernel, segment: Segment): object {
  const view = {};
  const method = (call: Syscall) => ({ value: Object.freeze((...args: unknown[]) => k.enter(call, [view, ...args])) });
  Object.defineProperties(view, {
    shmid: { value: segment.id, enumerable: true },
    size: { value: segment.size, enumerable: true },
    load: method(SYSCALL.shm_load),
    store: method(SYSCALL.shm_store),
    compareExchange: method(SYSCALL.shm_compareExchange),
    add: method(SYSCALL.shm_add),
  });
  views.set(view, segment);
  return markKernelHandle(Object.freeze(view));
}

/** The segments one process has attached; fork copies them. */
export class Attachments {
  /** Segment → how many shmat calls of this process are not yet matched by a shmdt (always at least 1). */
  private readonly counts = new Map<Segment, number>();

  /** The segment behind `view` if this process has it attached. */
  segmentOf(view: unknown): Segment | undefined {
    const segment = typeof view === 'object' && view !== null ? views.get(view) : undefined;
    return segment && this.counts.has(segment) ? segment : undefined;
  }

  add(segment: Segment): void {
    this.counts.set(segment, (this.counts.get(segment) ?? 0) + 1);
    segment.nattch++;
  }

  /** shmdt: undoes one shmat; false when `view` is not attached here. */
  remove(view: unknown): boolean {
    const segment = this.segmentOf(view);
    if (!segment) return false;
    const count = this.counts.get(segment)! - 1;
    if (count === 0) this.counts.delete(segment);
    else this.counts.set(segment, count);
    segment.detach();
    return true;
  }

  /** The segments attached here, in the order they were first attached. */
  segments(): Segment[] {
    return [...this.counts.keys()];
  }

  /** exit and exec detach everything. */
  removeAll(): void {
    for (const [segment, count] of [...this.counts]) for (let i = 0; i < count; i++) segment.detach();
    this.counts.clear();
  }

  /** fork: the child has every attachment its parent has (its code got the same views by replay). */
  copyInto(child: Attachments): void {
    for (const [segment, count] of this.counts) for (let i = 0; i < count; i++) child.add(segment);
  }
}

/** The process's attachments, made on first use with a hook that detaches them at exit. */
export function attachmentsOf(proc: Proc): Attachments {
  if (!proc.attached) {
    const attached = (proc.attached = new Attachments());
    proc.atExit.push(() => attached.removeAll());
  }
  return proc.attached;
}

/** fork: the child inherits its parent's attachments. */
export function inheritAttachments(parent: Proc, child: Proc): void {
  if (parent.attached) parent.attached.copyInto(attachmentsOf(child));
}

/** shmat: the segment's view, attached once more to the calling process. */
export function attach(k: Kernel, proc: Proc, segment: Segment): object {
  segment.view ??= makeView(k, segment);
  attachmentsOf(proc).add(segment);
  return segment.view;
}

/** The segment behind a view the calling process has attached: EINVAL for anything else. */
export function attachedSegment(proc: Proc, view: unknown, call: string): Segment {
  const segment = proc.attached?.segmentOf(view);
  if (!segment) throw notAttached(view, call);
  return segment;
}

/** shmdt: the view stops working in the calling process. */
export function detach(proc: Proc, view: unknown): void {
  if (!proc.attached?.remove(view)) throw notAttached(view, 'shmdt');
}

function notAttached(view: unknown, call: string): Error {
  return sysError('EINVAL', call, isView(view)
    ? `this process does not have segment ${views.get(view as object)!.id} attached (it detached it, or never attached it)`
    : 'the argument is not a shared-memory segment returned by shmat');
}
