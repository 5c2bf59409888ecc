import type { OpenFile } from './fd';
import type { Thread } from './thread';

/**
 * What a thread's pending call may touch, as keys: two steps of different
 * processes whose footprints share no key commute, which is what lets
 * exhaustive exploration skip equivalent interleavings (partial-order
 * reduction). Over-approximating is always safe: '*' conflicts with
 * everything. Steps of one process always conflict (threads share memory the
 * kernel does not see).
 */
export const EVERYTHING = '*';

const ids = new WeakMap<object, number>();
let nextId = 1;

function keyOf(object: object): string {
  let id = ids.get(object);
  if (id === undefined) ids.set(object, (id = nextId++));
  return `#${id}`;
}

/** Calls whose only effect is on the caller's own process. */
const LOCAL = new Set(['start', 'yield', 'sleep', 'thread', 'join', 'signal', 'alarm', 'mutex_init', 'cond_init', 'sem_init']);
/** Calls that act on the descriptor in their first argument. */
const ON_FD = new Set(['read', 'write', 'close', 'dup', 'send', 'recv', 'sendto', 'recvfrom', 'shutdown', 'getsockname', 'getpeername']);
/** Calls that act on the kernel object behind the handle in their first argument. */
const ON_HANDLE = new Set([
  'sem_wait', 'sem_trywait', 'sem_post', 'sem_getvalue', 'mutex_lock', 'mutex_trylock', 'mutex_unlock',
  'cond_signal', 'cond_broadcast', 'shm_load', 'shm_store', 'shm_compareExchange', 'shm_add', 'shmdt',
]);
/** Calls on a System V queue or mailbox named by id in their first argument. */
const ON_ID = new Map([
  ['msgsnd', 'mq'], ['msgrcv', 'mq'], ['msgctl', 'mq'],
  ['mailbox_send', 'mb'], ['mailbox_receive', 'mb'], ['mailbox_destroy', 'mb'], ['msg_send', 'mb'], ['msg_receive', 'mb'],
]);

function channelsOf(file: OpenFile | undefined): string[] {
  if (!file) return [];
  return file.channels().map((channel) => (typeof channel === 'string' ? channel : keyOf(channel)));
}

export function footprint(thread: Thread): string[] {
  const request = thread.request;
  if (!request) return [EVERYTHING];
  const own = `pid:${thread.proc.host.addr}/${thread.proc.pid}`;
  const arg = request.args[0];
  const fds = thread.proc.fds;
  if (thread.isMain && thread.proc.signals.pending.size > 0) return [EVERYTHING];
  if (LOCAL.has(request.call) || (request.call === 'fork' && request.state.child)) return [own];
  if (request.call === 'print') return [own, ...channelsOf(fds.get(1))];
  if (ON_FD.has(request.call)) return [own, ...channelsOf(typeof arg === 'number' ? fds.get(arg) : undefined)];
  if (request.call === 'dup2') return [own, ...channelsOf(typeof arg === 'number' ? fds.get(arg) : undefined), ...channelsOf(fds.get(request.args[1] as number))];
  if (ON_HANDLE.has(request.call) && typeof arg === 'object' && arg !== null) return [own, keyOf(arg)];
  if (request.call === 'cond_wait' && typeof arg === 'object' && arg !== null && typeof request.args[1] === 'object' && request.args[1] !== null) {
    return [own, keyOf(arg), keyOf(request.args[1])];
  }
  const group = ON_ID.get(request.call);
  if (group) return [own, `${group}:${thread.proc.host.addr}/${String(arg)}`];
  if (request.call === 'send_to') return [own, `inbox:${thread.proc.host.addr}/${String(arg)}`];
  if (request.call === 'receive_from') return [own, `inbox:${thread.proc.host.addr}/${thread.proc.pid}`];
  return [EVERYTHING];
}
