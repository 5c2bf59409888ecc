import type { OpenFile } from './fd';
import type { Thread } from './thread';

/**
 * What a thread's pending call may touch, as keys of kernel objects: two
 * steps whose footprints share no key (or share only keys both merely read)
 * commute, which is what lets exhaustive exploration skip equivalent
 * interleavings (partial-order reduction). Over-approximating is always safe:
 * '*' conflicts with everything.
 *
 * Footprints are per object (a descriptor table, a pipe, a semaphore, a
 * mutex, a shared-memory cell, a queue, a mailbox, a socket), so steps of two
 * threads of one process commute when they touch different objects. Like the
 * race detector, this takes threads to share data through kernel objects:
 * JavaScript variables they share are not seen by the kernel.
 */
export const EVERYTHING = '*';
/** Suffix of a key the step only reads: two reads of one object commute. */
const READ = '?';

/**
 * Names a run's kernel objects for its footprints, in the order the run first meets them. One per
 * run: exhaustive exploration carries a run's footprints into the runs of its branches (sleep
 * sets), which replay the same steps and so must name the same objects alike.
 */
export class ObjectNames {
  private readonly ids = new Map<object, number>();

  keyOf(object: object): string {
    let id = this.ids.get(object);
    if (id === undefined) this.ids.set(object, (id = this.ids.size + 1));
    return `#${id}`;
  }
}

/** Calls that touch nothing another thread can observe: their step is the caller's own code. */
const NOTHING = new Set(['start', 'yield', 'sleep']);
/** Calls that change the caller's process (its children, dispositions, alarm, threads). */
const ON_PROCESS = new Set(['signal', 'alarm', 'thread', 'join']);
/** Calls that make a new kernel object: only the handle numbering orders them. */
const MAKES_HANDLE = new Set(['mutex_init', 'cond_init', 'sem_init']);
/** Calls that use the descriptor in their first argument without changing the table. */
const ON_FD = new Set(['read', 'write', 'send', 'recv', 'sendto', 'recvfrom', 'shutdown', 'getsockname', 'getpeername']);
/** Calls that change the descriptor table through the descriptor in their first argument. */
const CHANGES_FD = new Set(['close', 'dup']);
/** Calls on the kernel object behind the handle in their first argument. */
const ON_HANDLE = new Set([
  'sem_wait', 'sem_trywait', 'sem_post', 'sem_getvalue', 'mutex_lock', 'mutex_trylock', 'mutex_unlock', 'cond_signal', 'cond_broadcast',
]);
/** Shared-memory cells: a load reads its cell, the others write it. */
const ON_CELL = new Map([['shm_load', true], ['shm_store', false], ['shm_compareExchange', false], ['shm_add', false]]);
/** Calls on a System V queue or mailbox named by id in their first argument. */
const ON_ID = new Map([
  ['msgsnd', 'mq'], ['msgrcv', 'mq'], ['msgctl', 'mq'],
  ['mailbox_send', 'mb'], ['mailbox_receive', 'mb'], ['mailbox_destroy', 'mb'], ['msg_send', 'mb'], ['msg_receive', 'mb'],
]);

function channelsOf(file: OpenFile | undefined, names: ObjectNames): string[] {
  if (!file) return [];
  return file.channels().map((channel) => (typeof channel === 'string' ? channel : names.keyOf(channel)));
}

export function footprint(thread: Thread, names: ObjectNames): string[] {
  const request = thread.request;
  if (!request) return [EVERYTHING];
  const proc = thread.proc;
  const where = `${proc.host.addr}/${proc.pid}`;
  const call = request.call;
  const arg = request.args[0];
  const fds = proc.fds;
  const table = `fds:${where}`;
  if (thread.isMain && proc.signals.pending.size > 0) return [EVERYTHING];
  if (NOTHING.has(call)) return [];
  if (ON_PROCESS.has(call) || (call === 'fork' && request.state.child)) return [`proc:${where}`];
  if (MAKES_HANDLE.has(call)) return ['handles'];
  if (call === 'print') return [table + READ, ...channelsOf(fds.get(1), names)];
  if (ON_FD.has(call)) return [table + READ, ...channelsOf(typeof arg === 'number' ? fds.get(arg) : undefined, names)];
  if (CHANGES_FD.has(call)) return [table, ...channelsOf(typeof arg === 'number' ? fds.get(arg) : undefined, names)];
  if (call === 'dup2') return [table, ...channelsOf(typeof arg === 'number' ? fds.get(arg) : undefined, names), ...channelsOf(fds.get(request.args[1] as number), names)];
  const isObject = typeof arg === 'object' && arg !== null;
  const reads = ON_CELL.get(call);
  if (reads !== undefined && isObject) return [`${names.keyOf(arg)}[${String(request.args[1])}]${reads ? READ : ''}`];
  if (ON_HANDLE.has(call) && isObject) return [names.keyOf(arg)];
  if (call === 'cond_wait' && isObject && typeof request.args[1] === 'object' && request.args[1] !== null) {
    return [names.keyOf(arg), names.keyOf(request.args[1])];
  }
  const group = ON_ID.get(call);
  if (group) return [`${group}:${proc.host.addr}/${String(arg)}`];
  if (call === 'send_to') return [`inbox:${proc.host.addr}/${String(arg)}`];
  if (call === 'receive_from') return [`inbox:${where}`];
  return [EVERYTHING];
}

function objectOf(key: string): string {
  return key.endsWith(READ) ? key.slice(0, -1) : key;
}

/** Two steps commute: neither may touch everything, and every object both touch, both only read. */
export function independent(a: readonly string[], b: readonly string[]): boolean {
  if (a.includes(EVERYTHING) || b.includes(EVERYTHING)) return false;
  for (const x of a) {
    for (const y of b) {
      if (objectOf(x) === objectOf(y) && !(x.endsWith(READ) && y.endsWith(READ))) return false;
    }
  }
  return true;
}
