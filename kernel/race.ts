import { acquire, release, VectorClock, type Synchronizer } from './hb';
import type { Thread } from './thread';
import type { RaceAccess, RaceReport } from './types';

/** What a program did to a shared-memory cell, as the race report names it. */
export type AccessOp = 'load' | 'store' | 'compareExchange' | 'add';

/** Reports kept per run at most, so a racy loop over a big segment leaves a readable result. */
export const RACE_REPORT_LIMIT = 1000;

/** One access as a cell remembers it. */
interface Access {
  /** The accessing thread's gid and its own clock entry at the access: a thread has seen it iff its clock holds at least `epoch` for `gid`. */
  gid: number;
  epoch: number;
  /** Who, what and at which scheduling step, for the report. */
  thread: Thread;
  op: AccessOp;
  step: number;
}

/** What one cell remembers since its last plain store: all a later access must be ordered after. */
class CellHistory {
  /** The last plain store, or null before any. */
  store: Access | null = null;
  /** Plain loads since that store: one per thread at most, none ordered before another. */
  readonly loads: Access[] = [];
  /** Atomic operations since that store, kept the same way. */
  readonly atomics: Access[] = [];
}

/**
 * Happens-before data-race detection on one segment, in the style of
 * FastTrack (Flanagan and Freund, PLDI 2009): each cell keeps the epochs of
 * its last store and of the loads and atomic operations since, and an access
 * races with any kept one of another thread that its own clock has not seen,
 * unless both are loads or both are atomic.
 */
export class RaceDetector {
  /** Cell index → its history; undefined before the first access, null once a race on it was reported. */
  private readonly cells: (CellHistory | null | undefined)[] = [];
  /** Cell index → what its atomic operations synchronise through (each a read-modify-write, as in C++ seq_cst). */
  private readonly atomicSync: (Synchronizer | undefined)[] = [];

  constructor(
    /** The shmid reports name. */
    private readonly segment: number,
    /** Where races go: the run's report. */
    private readonly reports: RaceReport[],
  ) {}

  /**
   * Records `thread`'s access to cell `index` at scheduling step `step`;
   * `wrote` says an atomic operation changed the cell (a successful compare-exchange, an add).
   */
  access(thread: Thread, index: number, op: AccessOp, step: number, wrote: boolean): void {
    const atomic = op === 'compareExchange' || op === 'add';
    // An atomic operation reads what earlier ones published and, when it writes, publishes in turn: a spin lock orders what it guards.
    const through = atomic ? (this.atomicSync[index] ??= { clock: new VectorClock() }) : null;
    if (through) acquire(thread, through);
    this.check(thread, index, op, step, atomic);
    if (through && wrote) release(thread, through);
  }

  private check(thread: Thread, index: number, op: AccessOp, step: number, atomic: boolean): void {
    let cell = this.cells[index];
    if (cell === null) return;
    if (cell === undefined) cell = this.cells[index] = new CellHistory();
    const clock = thread.clock;
    let other = cell.store && !seen(cell.store, clock) ? cell.store : null;
    if (!other && op !== 'load') other = unseen(cell.loads, clock);
    if (!other && !atomic) other = unseen(cell.atomics, clock);
    const access: Access = { gid: thread.gid, epoch: clock.get(thread.gid), thread, op, step };
    if (other) {
      this.cells[index] = null;
      if (this.reports.length < RACE_REPORT_LIMIT) {
        this.reports.push({ segment: this.segment, index, accesses: [describe(other), describe(access)] });
      }
      return;
    }
    if (op === 'store') {
      // Everything kept was ordered before this store, so it is ordered before whatever is ordered after it.
      cell.store = access;
      // Popped rather than `length = 0`, which V8 does through a runtime call (at every store of a checked cell).
      while (cell.loads.length > 0) cell.loads.pop();
      while (cell.atomics.length > 0) cell.atomics.pop();
    } else {
      keep(atomic ? cell.atomics : cell.loads, access, clock);
    }
  }
}

/** The thread whose clock is `clock` has seen `access` (always true for its own). */
function seen(access: Access, clock: VectorClock): boolean {
  return access.epoch <= clock.get(access.gid);
}

function unseen(accesses: readonly Access[], clock: VectorClock): Access | null {
  for (const access of accesses) if (!seen(access, clock)) return access;
  return null;
}

/** Adds `access` to `list`, dropping those ordered before it: a later access ordered after it is ordered after them too. */
function keep(list: Access[], access: Access, clock: VectorClock): void {
  let kept = 0;
  for (const old of list) if (!seen(old, clock)) list[kept++] = old;
  while (list.length > kept) list.pop();
  list.push(access);
}

function describe({ thread, op, step }: Access): RaceAccess {
  const proc = thread.proc;
  const access: RaceAccess = { pid: proc.pid, tid: thread.tid, op, step };
  if (!proc.host.primary) access.host = proc.host.addr;
  return access;
}
