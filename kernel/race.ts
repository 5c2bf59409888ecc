import { acquire, release, VectorClock, type Synchronizer } from './hb';
import type { Thread } from './thread';
import type { RaceAccess, RaceReport } from './types';

/** What a program did to a shared-memory cell, as the race report names it. */
export type AccessOp = 'load' | 'store' | 'compareExchange' | 'add';

/** Reports kept per run at most, so a racy loop over a big segment leaves a readable result. */
export const RACE_REPORT_LIMIT = 1000;

/**
 * One access as a cell remembers it. A cell's loads (and its atomic
 * operations) since its last store are a list linked through `next`, oldest
 * first, and a record ordered before a newer access is reused for it: in the
 * sandbox's frozen realm an array's push, pop and element store cost several
 * times a field's (see bench/README.md), and each check made several.
 */
class Access {
  /** The accessing thread's gid and its own clock entry at the access: a thread has seen it iff its clock holds at least `epoch` for `gid`. */
  gid = 0;
  epoch = 0;
  /** Who, what and at which scheduling step, for the report. */
  thread: Thread | null = null;
  op: AccessOp = 'load';
  step = 0;
  /** The next kept access of the same kind, if any. */
  next: Access | null = null;

  /** Makes this the record of `thread`'s access now, alone in its list. */
  record(thread: Thread, op: AccessOp, step: number): Access {
    this.gid = thread.gid;
    this.epoch = thread.clock.get(thread.gid);
    this.thread = thread;
    this.op = op;
    this.step = step;
    this.next = null;
    return this;
  }
}

/** What one cell remembers since its last plain store: all a later access must be ordered after. */
class CellHistory {
  /** The last plain store, or null before any. */
  store: Access | null = null;
  /** Plain loads since that store: one per thread at most, none ordered before another. */
  loads: Access | null = null;
  /** Atomic operations since that store, kept the same way. */
  atomics: Access | null = null;
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
    let other = cell.store !== null && !seen(cell.store, clock) ? cell.store : null;
    if (!other && op !== 'load') other = unseen(cell.loads, clock);
    if (!other && !atomic) other = unseen(cell.atomics, clock);
    if (other) {
      this.cells[index] = null;
      if (this.reports.length < RACE_REPORT_LIMIT) {
        this.reports.push({ segment: this.segment, index, accesses: [describe(other.thread!, other.op, other.step), describe(thread, op, step)] });
      }
      return;
    }
    if (op === 'store') {
      // Everything kept was ordered before this store, so it is ordered before whatever is ordered after it.
      cell.store = (cell.store ?? new Access()).record(thread, op, step);
      cell.loads = null;
      cell.atomics = null;
    } else if (atomic) {
      cell.atomics = keep(cell.atomics, thread, op, step, clock);
    } else {
      cell.loads = keep(cell.loads, thread, op, step, clock);
    }
  }
}

/** The thread whose clock is `clock` has seen `access` (always true for its own). */
function seen(access: Access, clock: VectorClock): boolean {
  return access.epoch <= clock.get(access.gid);
}

function unseen(accesses: Access | null, clock: VectorClock): Access | null {
  for (let access = accesses; access !== null; access = access.next) if (!seen(access, clock)) return access;
  return null;
}

/**
 * `list` with this access added at its end and those ordered before it dropped
 * (a later access ordered after it is ordered after them too), a dropped
 * record reused for it.
 */
function keep(list: Access | null, thread: Thread, op: AccessOp, step: number, clock: VectorClock): Access {
  let head: Access | null = null;
  let last: Access | null = null;
  let free: Access | null = null;
  for (let access = list; access !== null; access = access.next) {
    if (seen(access, clock)) {
      free ??= access;
      continue;
    }
    if (last === null) head = access;
    else last.next = access;
    last = access;
  }
  const added = (free ?? new Access()).record(thread, op, step);
  if (last === null) return added;
  last.next = added;
  return head!;
}

function describe(thread: Thread, op: AccessOp, step: number): RaceAccess {
  const proc = thread.proc;
  const access: RaceAccess = { pid: proc.pid, tid: thread.tid, op, step };
  if (!proc.host.primary) access.host = proc.host.addr;
  return access;
}
