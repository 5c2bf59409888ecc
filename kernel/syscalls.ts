/**
 * The system-call table: each `sys` name, its group, and the checks on its
 * arguments before the kernel object's function does the work (xv6's
 * sysfile.c/sysproc.c). Every call here is a scheduling point.
 */
import { isCloneable } from './clone';
import { markKernelHandle } from './clone';
import { sysError } from './errors';
import { MAX_FDS } from './fd';
import { fork } from './fork';
import { makeFifo, openPath, parseFlags } from './fs';
import { acquire } from './hb';
import type { Kernel } from './kernel';
import type { Proc } from './proc';
import { machRpc, type Mailbox, type MailboxName } from './mailbox';
import { receiveFrom, sendTo } from './message';
import type { IpcKey } from './msgqueue';
import { CondVar, Mutex } from './mutex';
import { Pipe, PipeEnd } from './pipe';
import { Semaphore } from './sem';
import { attach, attachedSegment, detach, type Segment } from './shm';
import { type Address, serviceByName } from './net';
import { Socket } from './socket';
import { isSignal, sendSignal } from './signal';
import { GONE, type Outcome, type Request, type Thread } from './thread';
import { GROUPS, type Group } from './types';
import { WaitQueue } from './waitqueue';

export interface SyscallSpec {
  group: Group | 'always';
  run: (k: Kernel, thread: Thread, request: Request) => Outcome;
  /**
   * What a signal handler does to this call when it interrupts it while blocked:
   * fail with EINTR unless the handler asked to restart (default), always restart
   * (locks), or always fail (pause).
   */
  onSignal?: 'eintr' | 'restart' | 'eintr-always';
  /** The result stays inside the caller's process (join): handed over as it is, not copied. */
  sameProcess?: boolean;
  /** Reached only through a kernel object's methods (a segment's load, ...), never as `sys.<name>`. */
  internal?: boolean;
}

// ---- argument checks: one sentence for the student when they fail ----

function integer(request: Request, index: number, name: string, min = -Infinity): number {
  const value = request.args[index];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw sysError('EINVAL', request.call, `${name} must be an integer${min > -Infinity ? ` of at least ${min}` : ''}, not ${describe(value)}`);
  }
  return value;
}

function text(request: Request, index: number, name: string): string {
  const value = request.args[index];
  if (typeof value !== 'string') throw sysError('EINVAL', request.call, `${name} must be a string, not ${describe(value)}`);
  return value;
}

function options(request: Request, index: number): Record<string, unknown> {
  const value = request.args[index];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object') throw sysError('EINVAL', request.call, `the options must be an object, not ${describe(value)}`);
  return value as Record<string, unknown>;
}

/** The {nowait} option: a call that would block fails with EAGAIN instead. */
function nowait(request: Request, index: number): boolean {
  return options(request, index).nowait === true;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the string '${value.length > 20 ? value.slice(0, 20) + '…' : value}'`;
  if (value === undefined || value === null) return String(value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Kernel objects behind the opaque handles sem_init & co. return; forged handles are not in it. */
const handles = new WeakMap<object, object>();

function handle(kind: string, id: number, object: object): Readonly<{ kind: string; id: number }> {
  const token = markKernelHandle(Object.freeze({ kind, id }));
  handles.set(token, object);
  return token;
}

function object<T extends object>(request: Request, index: number, type: new (...args: never[]) => T, what: string): T {
  const token = request.args[index];
  const found = typeof token === 'object' && token !== null ? handles.get(token) : undefined;
  if (!(found instanceof type)) throw sysError('EINVAL', request.call, `the argument is not ${what}`);
  return found;
}

/** Formats print's arguments like console.log would for data: strings as they are, objects as JSON. */
export function formatArgs(args: readonly unknown[]): string {
  return args.map((arg) => {
    if (typeof arg === 'string') return arg;
    if (typeof arg === 'object' && arg !== null && !(arg instanceof Error)) {
      try {
        return JSON.stringify(arg);
      } catch {
        return String(arg);
      }
    }
    return String(arg);
  }).join(' ') + '\n';
}

// ---- processes ----

function waitFor(k: Kernel, thread: Thread, pid: number, nohang: boolean, call: string): Outcome {
  const proc = thread.proc;
  const candidates = [...proc.children].filter((child) => pid === -1 || child.pid === pid);
  if (candidates.length === 0) {
    throw sysError('ECHILD', call, pid === -1 ? 'this process has no children to wait for' : `pid ${pid} is not a child of this process`);
  }
  const exited = candidates.filter((child) => child.state === 'zombie').sort((a, b) => a.exitSeq - b.exitSeq)[0];
  if (exited) {
    k.reap(exited);
    acquire(thread, { clock: exited.exitClock });
    return { pid: exited.pid, status: exited.exitStatus, signal: exited.exitSignal };
  }
  if (nohang) return null;
  return thread.sleep(proc.childExit, () =>
    `waiting for ${pid === -1 ? 'a child' : `child ${pid}`} to exit; still running: ${candidates.map((child) => child.label).join(', ')}`);
}

function exec(k: Kernel, thread: Thread, request: Request): Outcome {
  const path = text(request, 0, 'the program path');
  const argList = request.args[1] ?? [];
  if (!Array.isArray(argList)) throw sysError('EINVAL', 'exec', 'the arguments must be an array of strings');
  const proc = thread.proc;
  const node = proc.host.fs.lookup(path.includes('/') ? path : `/bin/${path}`);
  if (node?.type !== 'program') throw sysError('ENOENT', 'exec', `there is no program '${path}' in /bin`);
  for (const old of [...proc.threads]) {
    old.kill();
    proc.threads.splice(proc.threads.indexOf(old), 1);
    k.threads.splice(k.threads.indexOf(old), 1);
  }
  proc.image = { kind: 'program', name: node.name, args: argList.map(String) };
  proc.history = null;
  proc.signals.resetHandlers();
  proc.attached?.removeAll(); // the new image holds no views, as exec detaches in UNIX
  proc.main = null;
  const main = k.makeThread(proc, proc.pid, k.imageBody(proc));
  main.clock = thread.clock.copy();
  k.adopt(main);
  return GONE;
}

function kill(k: Kernel, thread: Thread, request: Request): Outcome {
  const pid = integer(request, 0, 'the pid');
  const sig = request.args[1];
  if (sig !== 0 && !isSignal(sig)) throw sysError('EINVAL', 'kill', `${describe(sig)} is not a signal name like 'SIGTERM'`);
  if (pid <= 0) throw sysError('EINVAL', 'kill', 'process groups are not simulated: name one pid');
  if (pid === 1) throw sysError('EPERM', 'kill', 'init (pid 1) cannot be signalled');
  const target = thread.proc.host.procs.get(pid);
  if (!target || target.state === 'reaped') throw sysError('ESRCH', 'kill', `there is no process ${pid}`);
  if (sig === 0) return undefined;
  sendSignal(k, target, sig, thread);
  return thread.proc.alive ? undefined : GONE;
}

// ---- descriptors and files ----

function read(k: Kernel, thread: Thread, request: Request): Outcome {
  const file = thread.proc.fds.lookup(request.args[0], 'read');
  const n = integer(request, 1, 'the number of characters to read', 1);
  if (!file.readable) throw sysError('EBADF', 'read', `fd ${String(request.args[0])} is not open for reading`);
  return file.read(k, thread, request, n);
}

function writeTo(k: Kernel, thread: Thread, request: Request, fd: unknown, data: string): Outcome {
  const file = thread.proc.fds.lookup(fd, request.call);
  if (!file.writable) throw sysError('EBADF', request.call, `fd ${String(fd)} is not open for writing`);
  if (data.length === 0) return 0;
  return file.write(k, thread, request, data);
}

function dup2(k: Kernel, thread: Thread, request: Request): Outcome {
  const fds = thread.proc.fds;
  const file = fds.lookup(request.args[0], 'dup2');
  const target = request.args[1];
  if (typeof target !== 'number' || !Number.isInteger(target) || target < 0 || target >= MAX_FDS) {
    throw sysError('EBADF', 'dup2', `${describe(target)} is not a valid descriptor number`);
  }
  if (fds.get(target) === file) return target;
  fds.close(k, target, thread);
  fds.install(target, file);
  return target;
}

function pipePair(k: Kernel, thread: Thread, first: PipeEnd, second: PipeEnd, call: string): number[] {
  const fds = thread.proc.fds;
  const a = fds.alloc(first, call);
  try {
    return [a, fds.alloc(second, call)];
  } catch (error) {
    fds.close(k, a);
    second.abandon();
    throw error;
  }
}

// ---- time ----

function sleep(k: Kernel, thread: Thread, request: Request): Outcome {
  const ms = request.args[0];
  if (typeof ms !== 'number' || !(ms >= 0)) throw sysError('EINVAL', 'sleep', `the duration must be a number of milliseconds, not ${describe(ms)}`);
  const state = request.state as { until?: number; queue?: WaitQueue };
  state.until ??= k.simTime + ms;
  if (k.simTime >= state.until) return undefined;
  if (!state.queue) {
    const queue = (state.queue = new WaitQueue('sleep'));
    const timer = k.timers.add(state.until, () => queue.wakeup());
    request.cleanup = () => k.timers.cancel(timer);
  }
  return thread.sleep(state.queue, () => `sleeping until ${state.until} ms`);
}

function alarm(k: Kernel, thread: Thread, request: Request): Outcome {
  const ms = request.args[0];
  if (typeof ms !== 'number' || !(ms >= 0)) throw sysError('EINVAL', 'alarm', `the delay must be a number of milliseconds, not ${describe(ms)}`);
  const proc = thread.proc;
  const remaining = proc.alarm ? proc.alarm.at - k.simTime : 0;
  k.timers.cancel(proc.alarm);
  proc.alarm = ms > 0 ? k.timers.add(k.simTime + ms, () => {
    proc.alarm = null;
    sendSignal(k, proc, 'SIGALRM', null);
  }) : null;
  return remaining;
}

// ---- threads and synchronisation ----

function spawnThread(k: Kernel, thread: Thread, request: Request): Outcome {
  const [fn, ...args] = request.args;
  if (typeof fn !== 'function') throw sysError('EINVAL', 'thread', `the thread body must be a function, not ${describe(fn)}`);
  const proc = thread.proc;
  const tid = proc.host.nextTid++;
  const created = k.makeThread(proc, tid, () => fn(...args));
  created.clock = thread.clock.copy();
  thread.clock.tick(thread.gid);
  k.adopt(created);
  proc.joinable.set(tid, created);
  return tid;
}

function join(_k: Kernel, thread: Thread, request: Request): Outcome {
  const tid = integer(request, 0, 'the thread id');
  if (tid === thread.tid) throw sysError('EDEADLK', 'join', 'a thread cannot join itself');
  const target = thread.proc.joinable.get(tid);
  if (!target) throw sysError('ESRCH', 'join', `this process has no joinable thread ${tid}`);
  if (!target.done) return thread.sleep(target.exited, () => `waiting for thread ${tid} to finish`);
  thread.proc.joinable.delete(tid);
  acquire(thread, target);
  return target.result;
}

function semaphoreValue(request: Request, index: number): number {
  return integer(request, index, 'the initial value', 0);
}

// ---- message queues and message passing ----

/** A msgget key or a mailbox name: a number or a string, and `7` is not `'7'`. */
function ipcKey(request: Request, index: number, what: string): IpcKey {
  const key = request.args[index];
  if (typeof key === 'string' || (typeof key === 'number' && Number.isFinite(key))) return key;
  throw sysError('EINVAL', request.call, `${what} must be a number or a string, not ${describe(key)}`);
}

/** The value a message carries: data only, because the receiver gets a copy. */
function payload(request: Request, index: number): unknown {
  const data = request.args[index];
  if (!isCloneable(data)) {
    throw sysError('EINVAL', request.call, 'the message must be plain data (numbers, strings, arrays, objects, ...): ' +
      'functions and symbols cannot be copied to another process');
  }
  return data;
}

/** The {capacity} option: 0 (rendezvous), a positive integer, or Infinity. */
function capacity(request: Request, index: number, fallback: number, min: number): number {
  const value = options(request, index).capacity;
  if (value === undefined) return fallback;
  if (value === Infinity || (typeof value === 'number' && Number.isInteger(value) && value >= min)) return value;
  throw sysError('EINVAL', request.call, `the capacity must be ${min === 0 ? '0 (a rendezvous), ' : ''}a positive integer or Infinity, not ${describe(value)}`);
}

/** An options object given where an optional argument before it was left out, as in mailbox_create({capacity: 0}). */
function optionsInstead(request: Request, index: number): boolean {
  const value = request.args[index];
  return typeof value === 'object' && value !== null && !Array.isArray(value) && request.args.length === index + 1;
}

function mailboxArg(thread: Thread, request: Request, what = 'mailbox'): Mailbox {
  return thread.proc.host.mailboxes.lookup(integer(request, 0, `the ${what} id`, 1), request.call, what);
}

// ---- shared memory ----

/** The cell index of a segment method's call: EINVAL outside the segment. */
function cellIndex(request: Request, segment: Segment): number {
  const index = request.args[1];
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= segment.size) {
    throw sysError('EINVAL', request.call, `the index must be an integer from 0 to ${segment.size - 1}, not ${describe(index)}`);
  }
  return index;
}

function cellValue(request: Request, index: number, name: string): number {
  const value = request.args[index];
  if (typeof value !== 'number') throw sysError('EINVAL', request.call, `${name} must be a number, not ${describe(value)}`);
  return value;
}

/** A segment method's view argument and index, checked in that order. */
function shmCell(thread: Thread, request: Request): [Segment, number] {
  const segment = attachedSegment(thread.proc, request.args[0], request.call);
  return [segment, cellIndex(request, segment)];
}

// ---- sockets ----

/** The socket behind fd argument 0; ENOTSOCK for any other kind of file. */
function socketArg(thread: Thread, request: Request): Socket {
  const file = thread.proc.fds.lookup(request.args[0], request.call);
  if (!(file instanceof Socket)) throw sysError('ENOTSOCK', request.call, `fd ${String(request.args[0])} is a ${file.kind}, not a socket`);
  return file;
}

/** Decodes `{host, port}` or `{path}` for the socket's domain; 'localhost' and '127.0.0.1' mean the caller's host. */
function sockAddress(thread: Thread, request: Request, index: number, socket: Socket): Address {
  const value = request.args[index];
  const example = socket.domain === 'inet' ? "{host: '10.0.0.1', port: 7}" : "{path: '/tmp/sock'}";
  if (typeof value !== 'object' || value === null) throw sysError('EINVAL', request.call, `the address must be an object like ${example}, not ${describe(value)}`);
  const fields = value as Record<string, unknown>;
  if (socket.domain === 'unix') {
    if (typeof fields.path !== 'string' || fields.path === '') throw sysError('EINVAL', request.call, `a unix socket's address is ${example}, with a non-empty path`);
    return { path: fields.path };
  }
  const port = fields.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw sysError('EINVAL', request.call, `an inet address needs a port from 0 to 65535 (like ${example}), not ${describe(port)}`);
  }
  const own = thread.proc.host.addr;
  const host = fields.host ?? own;
  if (typeof host !== 'string') throw sysError('EINVAL', request.call, `the host must be an address string like '10.0.0.1', not ${describe(host)}`);
  return { host: host === 'localhost' || host === '127.0.0.1' || host === '0.0.0.0' ? own : host, port };
}

export const SYSCALLS = {
  // processes
  fork: { group: 'proc', run: fork, onSignal: 'restart' },
  exec: { group: 'proc', run: exec },
  exit: {
    group: 'proc',
    run: (k, thread, request) => {
      const status = request.args[0] ?? 0;
      if (typeof status !== 'number' || !Number.isInteger(status)) throw sysError('EINVAL', 'exit', `the status must be an integer, not ${describe(status)}`);
      k.exitProcess(thread.proc, status & 0xff, null);
      return GONE;
    },
  },
  wait: { group: 'proc', run: (k, thread) => waitFor(k, thread, -1, false, 'wait') },
  waitpid: {
    group: 'proc',
    run: (k, thread, request) => {
      const pid = integer(request, 0, 'the pid');
      if (pid !== -1 && pid <= 0) throw sysError('EINVAL', 'waitpid', 'the pid must be a child\'s pid or -1 for any child');
      return waitFor(k, thread, pid, options(request, 1).nohang === true, 'waitpid');
    },
  },
  kill: { group: 'proc', run: kill },

  // descriptors and files
  open: {
    group: 'fd',
    run: (k, thread, request) => {
      const path = text(request, 0, 'the path');
      const mode = parseFlags(request.args[1] ?? 'r');
      if (!mode) throw sysError('EINVAL', 'open', `flags must be 'r', 'w', 'a' or 'rw', with 'n' added for non-blocking, not ${describe(request.args[1])}`);
      return openPath(k, thread, request, path, mode);
    },
  },
  read: { group: 'fd', run: read },
  write: { group: 'fd', run: (k, thread, request) => writeTo(k, thread, request, request.args[0], text(request, 1, 'the data')) },
  close: {
    group: 'fd',
    run: (k, thread, request) => {
      thread.proc.fds.lookup(request.args[0], 'close');
      thread.proc.fds.close(k, request.args[0] as number, thread);
      return undefined;
    },
  },
  dup: { group: 'fd', run: (_k, thread, request) => thread.proc.fds.alloc(thread.proc.fds.lookup(request.args[0], 'dup'), 'dup') },
  dup2: { group: 'fd', run: dup2 },
  unlink: { group: 'fd', run: (_k, thread, request) => void thread.proc.host.fs.unlink(text(request, 0, 'the path'), 'unlink') },
  readdir: { group: 'fd', run: (_k, thread, request) => thread.proc.host.fs.readdir(request.args[0] === undefined ? '.' : text(request, 0, 'the path'), 'readdir') },
  print: {
    group: 'always',
    // Its arguments arrive formatted (Kernel.enter formats them in the caller's turn).
    run: (k, thread, request) => {
      const outcome = writeTo(k, thread, request, 1, request.args[0] as string);
      return typeof outcome === 'number' ? undefined : outcome;
    },
  },

  // pipes and FIFOs
  pipe: {
    group: 'pipe',
    run: (k, thread) => {
      const pipe = new Pipe(k.options.pipeCapacity, k.options.pipeBuf, 'pipe');
      return pipePair(k, thread, new PipeEnd(pipe, null, 'pipe-read'), new PipeEnd(null, pipe, 'pipe-write'), 'pipe');
    },
  },
  socketpair: {
    group: 'pipe',
    run: (k, thread) => {
      const there = new Pipe(k.options.pipeCapacity, k.options.pipeBuf, 'socketpair');
      const back = new Pipe(k.options.pipeCapacity, k.options.pipeBuf, 'socketpair');
      return pipePair(k, thread, new PipeEnd(back, there, 'socketpair'), new PipeEnd(there, back, 'socketpair'), 'socketpair');
    },
  },
  mkfifo: { group: 'pipe', run: (k, thread, request) => void makeFifo(k, thread.proc.host.fs, text(request, 0, 'the path')) },

  // signals
  signal: {
    group: 'signal',
    run: (_k, thread, request) => {
      const [sig, disposition] = request.args;
      if (!isSignal(sig)) throw sysError('EINVAL', 'signal', `${describe(sig)} is not a signal name like 'SIGINT'`);
      if (sig === 'SIGKILL' || sig === 'SIGSTOP') throw sysError('EINVAL', 'signal', `${sig} cannot be caught or ignored`);
      if (typeof disposition !== 'function' && disposition !== 'default' && disposition !== 'ignore') {
        throw sysError('EINVAL', 'signal', `the handler must be a function, 'default' or 'ignore', not ${describe(disposition)}`);
      }
      const signals = thread.proc.signals;
      const previous = signals.disposition(sig);
      signals.dispositions.set(sig, typeof disposition === 'function'
        ? { fn: disposition as (s: string) => unknown, restart: options(request, 2).restart === true }
        : disposition);
      return typeof previous === 'object' ? previous.fn : previous;
    },
  },
  pause: {
    group: 'signal',
    onSignal: 'eintr-always',
    run: (_k, thread) => thread.sleep(new WaitQueue('pause'), () => 'waiting in pause() for a signal that nobody sends'),
  },

  // threads
  thread: { group: 'thread', run: spawnThread },
  join: { group: 'thread', run: join, sameProcess: true },

  // semaphores, mutexes, condition variables
  sem_open: {
    group: 'sync',
    run: (k, thread, request) => {
      const name = text(request, 0, 'the semaphore name');
      const semaphores = thread.proc.host.semaphores;
      let token = semaphores.get(name);
      if (!token) {
        token = handle('semaphore', k.newHandleId(), new Semaphore(semaphoreValue(request, 1), `semaphore '${name}'`));
        semaphores.set(name, token);
      }
      return token;
    },
  },
  sem_init: {
    group: 'sync',
    run: (k, _thread, request) => {
      const id = k.newHandleId();
      return handle('semaphore', id, new Semaphore(semaphoreValue(request, 0), `semaphore #${id}`));
    },
  },
  sem_wait: { group: 'sync', run: (_k, thread, request) => object(request, 0, Semaphore, 'a semaphore').wait(thread, false, 'sem_wait') },
  sem_trywait: { group: 'sync', run: (_k, thread, request) => object(request, 0, Semaphore, 'a semaphore').wait(thread, true, 'sem_trywait') },
  sem_post: { group: 'sync', run: (_k, thread, request) => void object(request, 0, Semaphore, 'a semaphore').post(thread) },
  sem_getvalue: { group: 'sync', run: (_k, _thread, request) => object(request, 0, Semaphore, 'a semaphore').value },
  mutex_init: {
    group: 'sync',
    run: (k) => {
      const id = k.newHandleId();
      return handle('mutex', id, new Mutex(`mutex #${id}`));
    },
  },
  mutex_lock: { group: 'sync', onSignal: 'restart', run: (_k, thread, request) => object(request, 0, Mutex, 'a mutex').lock(thread, false, 'mutex_lock') },
  mutex_trylock: { group: 'sync', run: (_k, thread, request) => object(request, 0, Mutex, 'a mutex').lock(thread, true, 'mutex_trylock') },
  mutex_unlock: { group: 'sync', run: (_k, thread, request) => void object(request, 0, Mutex, 'a mutex').unlock(thread, 'mutex_unlock') },
  cond_init: {
    group: 'sync',
    run: (k) => {
      const id = k.newHandleId();
      return handle('cond', id, new CondVar(`condition variable #${id}`));
    },
  },
  cond_wait: {
    group: 'sync',
    onSignal: 'restart',
    run: (_k, thread, request) => object(request, 0, CondVar, 'a condition variable').wait(thread, request, object(request, 1, Mutex, 'a mutex'), 'cond_wait'),
  },
  cond_signal: { group: 'sync', run: (_k, thread, request) => void object(request, 0, CondVar, 'a condition variable').signal(thread) },
  cond_broadcast: { group: 'sync', run: (_k, thread, request) => void object(request, 0, CondVar, 'a condition variable').broadcast(thread) },

  // message queues (System V)
  // @msgqueue-calls
  msgget: {
    group: 'msgqueue',
    run: (k, thread, request) =>
      thread.proc.host.msgqueues.get(ipcKey(request, 0, 'the key'), capacity(request, 1, k.options.msgqueueCapacity, 1)).qid,
  },
  msgsnd: {
    group: 'msgqueue',
    run: (k, thread, request) => {
      const queue = thread.proc.host.msgqueues.lookup(integer(request, 0, 'the queue id'), 'msgsnd');
      return queue.send(k, thread, request, integer(request, 1, 'the message type', 1), payload(request, 2), nowait(request, 3));
    },
  },
  msgrcv: {
    group: 'msgqueue',
    run: (k, thread, request) => {
      const queue = thread.proc.host.msgqueues.lookup(integer(request, 0, 'the queue id'), 'msgrcv');
      // msgrcv(qid, {nowait}) leaves the type out: 0, the first message.
      const bare = request.args[1] === undefined || optionsInstead(request, 1);
      return queue.receive(k, thread, request, bare ? 0 : integer(request, 1, 'the message type'), nowait(request, bare ? 1 : 2));
    },
  },
  msgctl: {
    group: 'msgqueue',
    run: (_k, thread, request) => {
      const table = thread.proc.host.msgqueues;
      const queue = table.lookup(integer(request, 0, 'the queue id'), 'msgctl');
      const command = request.args[1];
      if (command === 'IPC_RMID') return void table.remove(queue, 'msgctl');
      if (command === 'IPC_STAT') {
        if (queue.removed) throw sysError('EINVAL', 'msgctl', `${queue.label} has been removed`);
        return { key: queue.key, messages: queue.messages.length, capacity: queue.capacity };
      }
      throw sysError('EINVAL', 'msgctl', `the command must be 'IPC_RMID' or 'IPC_STAT', not ${describe(command)}`);
    },
  },

  // direct messages, mailboxes and Mach-style ports
  // @message-calls
  send_to: {
    group: 'message',
    run: (k, thread, request) => sendTo(k, thread, request, integer(request, 0, 'the pid', 1), payload(request, 1), nowait(request, 2)),
  },
  receive_from: {
    group: 'message',
    run: (k, thread, request) => {
      const pid = request.args[0] === 'any' ? 'any' : integer(request, 0, "the pid (or 'any')", 1);
      return receiveFrom(k, thread, pid, nowait(request, 1));
    },
  },
  mailbox_create: {
    group: 'mailbox',
    run: (k, thread, request) => {
      const unnamed = request.args[0] === undefined || request.args[0] === null || optionsInstead(request, 0);
      const name: MailboxName | null = unnamed ? null : ipcKey(request, 0, 'the mailbox name');
      return thread.proc.host.mailboxes.create(name, capacity(request, optionsInstead(request, 0) ? 0 : 1, k.options.mailboxCapacity, 0)).id;
    },
  },
  mailbox_open: {
    group: 'mailbox',
    run: (_k, thread, request) => thread.proc.host.mailboxes.open(ipcKey(request, 0, 'the mailbox name'), 'mailbox_open').id,
  },
  mailbox_send: {
    group: 'mailbox',
    run: (k, thread, request) => mailboxArg(thread, request).deliver(k, thread, request, payload(request, 1), null, nowait(request, 2), 'mailbox_send'),
  },
  mailbox_receive: { group: 'mailbox', run: (k, thread, request) => mailboxArg(thread, request).collect(k, thread, nowait(request, 1), 'mailbox_receive') },
  mailbox_destroy: {
    group: 'mailbox',
    run: (_k, thread, request) => {
      const mailbox = mailboxArg(thread, request);
      if (mailbox.removed) throw sysError('EIDRM', 'mailbox_destroy', `${mailbox.label} was already destroyed`);
      thread.proc.host.mailboxes.destroy(mailbox);
      return undefined;
    },
  },
  port_allocate: {
    group: 'mailbox',
    run: (k, thread, request) => thread.proc.host.mailboxes.create(null, capacity(request, 0, k.options.mailboxCapacity, 0), 'port').id,
  },
  msg_send: {
    group: 'mailbox',
    run: (k, thread, request) => mailboxArg(thread, request, 'port').deliver(k, thread, request, payload(request, 1), null, nowait(request, 2), 'msg_send'),
  },
  msg_receive: { group: 'mailbox', run: (k, thread, request) => mailboxArg(thread, request, 'port').collect(k, thread, nowait(request, 1), 'msg_receive', true) },
  msg_rpc: {
    group: 'mailbox',
    run: (k, thread, request) => machRpc(k, thread, request, thread.proc.host.mailboxes, mailboxArg(thread, request, 'port'), payload(request, 1)),
  },
  msg_reply: {
    group: 'mailbox',
    run: (k, thread, request) => {
      const msg = request.args[0];
      const replyPort = typeof msg === 'object' && msg !== null ? (msg as { replyPort?: unknown }).replyPort : undefined;
      if (typeof replyPort !== 'number') {
        throw sysError('EINVAL', 'msg_reply', 'the first argument must be a message from msg_receive that was sent with msg_rpc (it has no replyPort)');
      }
      const port = thread.proc.host.mailboxes.lookup(replyPort, 'msg_reply', 'reply port');
      return port.deliver(k, thread, request, payload(request, 1), null, false, 'msg_reply');
    },
  },

  // shared memory
  // @shm-calls
  shmget: { group: 'shm', run: (k, thread, request) => thread.proc.host.segments.get(k, ipcKey(request, 0, 'the key'), integer(request, 1, 'the size', 0)) },
  shmat: { group: 'shm', run: (k, thread, request) => attach(k, thread.proc, thread.proc.host.segments.lookup(integer(request, 0, 'the shmid'), 'shmat')) },
  shmdt: { group: 'shm', run: (_k, thread, request) => detach(thread.proc, request.args[0]) },
  shmctl: {
    group: 'shm',
    run: (_k, thread, request) => {
      const segments = thread.proc.host.segments;
      const segment = segments.lookup(integer(request, 0, 'the shmid'), 'shmctl');
      const command = request.args[1];
      if (command === 'IPC_RMID') return segments.remove(segment);
      if (command === 'IPC_STAT') return { key: segment.key, size: segment.size, nattch: segment.nattch };
      throw sysError('EINVAL', 'shmctl', `the command must be 'IPC_RMID' or 'IPC_STAT', not ${describe(command)}`);
    },
  },
  // The methods of the segment object shmat returns; each names the view as argument 0.
  shm_load: {
    internal: true,
    group: 'shm',
    run: (k, thread, request) => {
      const [segment, index] = shmCell(thread, request);
      return segment.load(thread, index, k.steps);
    },
  },
  shm_store: {
    internal: true,
    group: 'shm',
    run: (k, thread, request) => {
      const [segment, index] = shmCell(thread, request);
      segment.store(thread, index, cellValue(request, 2, 'the value'), k.steps);
    },
  },
  shm_compareExchange: {
    internal: true,
    group: 'shm',
    run: (k, thread, request) => {
      const [segment, index] = shmCell(thread, request);
      return segment.compareExchange(thread, index, cellValue(request, 2, 'the expected value'), cellValue(request, 3, 'the new value'), k.steps);
    },
  },
  shm_add: {
    internal: true,
    group: 'shm',
    run: (k, thread, request) => {
      const [segment, index] = shmCell(thread, request);
      return segment.add(thread, index, cellValue(request, 2, 'the amount to add'), k.steps);
    },
  },

  // sockets
  // @socket-calls
  socket: {
    group: 'socket',
    run: (_k, thread, request) => {
      const [domain, type] = request.args;
      if (domain !== 'unix' && domain !== 'inet') throw sysError('EINVAL', 'socket', `the domain must be 'unix' or 'inet', not ${describe(domain)}`);
      if (type !== 'stream' && type !== 'dgram') throw sysError('EINVAL', 'socket', `the type must be 'stream' or 'dgram', not ${describe(type)}`);
      return thread.proc.fds.alloc(new Socket(domain, type, thread.proc.host), 'socket');
    },
  },
  bind: {
    group: 'socket',
    run: (k, thread, request) => {
      const socket = socketArg(thread, request);
      return void socket.bind(k, sockAddress(thread, request, 1, socket));
    },
  },
  listen: {
    group: 'socket',
    run: (k, thread, request) => void socketArg(thread, request).listen(k, request.args[1] === undefined ? 8 : integer(request, 1, 'the backlog', 0)),
  },
  accept: { group: 'socket', run: (_k, thread, request) => socketArg(thread, request).accept(thread) },
  connect: {
    group: 'socket',
    run: (k, thread, request) => {
      const socket = socketArg(thread, request);
      return socket.connect(k, thread, sockAddress(thread, request, 1, socket));
    },
  },
  send: { group: 'socket', run: (k, thread, request) => socketArg(thread, request).send(k, thread, request, text(request, 1, 'the data')) },
  recv: {
    group: 'socket',
    run: (k, thread, request) =>
      socketArg(thread, request).recv(k, thread, integer(request, 1, 'the number of characters to receive', 1), 'recv', nowait(request, 2)),
  },
  sendto: {
    group: 'socket',
    run: (k, thread, request) => {
      const socket = socketArg(thread, request);
      return socket.sendto(k, thread, text(request, 1, 'the data'), sockAddress(thread, request, 2, socket));
    },
  },
  recvfrom: { group: 'socket', run: (k, thread, request) => socketArg(thread, request).recvfrom(k, thread, 'recvfrom', nowait(request, 1)) },
  shutdown: {
    group: 'socket',
    run: (_k, thread, request) => {
      const socket = socketArg(thread, request);
      const how = request.args[1];
      if (how !== 'read' && how !== 'write' && how !== 'both') throw sysError('EINVAL', 'shutdown', `how must be 'read', 'write' or 'both', not ${describe(how)}`);
      return void socket.shutdown(how);
    },
  },
  getsockname: { group: 'socket', run: (_k, thread, request) => socketArg(thread, request).name },
  getpeername: {
    group: 'socket',
    run: (_k, thread, request) => {
      const socket = socketArg(thread, request);
      if (!socket.peer) throw sysError('ENOTCONN', 'getpeername', 'the socket is not connected');
      return { ...socket.peer };
    },
  },
  getservbyname: {
    group: 'socket',
    run: (_k, _thread, request) => serviceByName(text(request, 0, 'the service name'), request.args[1] === undefined ? 'tcp' : text(request, 1, 'the protocol')),
  },
  hostaddr: { group: 'socket', run: (_k, thread) => thread.proc.host.addr },

  // time
  sleep: { group: 'time', run: sleep },
  alarm: { group: 'time', run: alarm },
  yield: { group: 'always', run: () => undefined },
} satisfies Record<string, SyscallSpec>;

export type SyscallName = keyof typeof SYSCALLS;

/** A table entry as the kernel reads it at every step: every field present, so its reads meet one shape. */
export interface Syscall {
  readonly name: SyscallName;
  readonly group: Group | 'always';
  /** The group's bit in a kernel's mask of enabled groups (see groupMask); 0 for a call that is always there. */
  readonly groupBit: number;
  readonly run: SyscallSpec['run'];
  readonly onSignal: NonNullable<SyscallSpec['onSignal']>;
  readonly sameProcess: boolean;
}

/** The mask of these groups, as a Syscall's groupBit tests it. */
export function groupMask(groups: Iterable<Group>): number {
  let mask = 0;
  for (const group of groups) mask |= 1 << GROUPS.indexOf(group);
  return mask;
}

function entryOf(name: SyscallName): Syscall {
  const spec: SyscallSpec = SYSCALLS[name];
  return Object.freeze({
    name,
    group: spec.group,
    groupBit: spec.group === 'always' ? 0 : groupMask([spec.group]),
    run: spec.run,
    onSignal: spec.onSignal ?? 'eintr',
    sameProcess: spec.sameProcess ?? false,
  });
}

/**
 * SYSCALLS as Syscalls, by name. Each `sys` method hands its entry to the kernel, so a call
 * looks nothing up by name (a Map lookup per call was 3 % of a ping-pong run).
 */
export const SYSCALL = Object.freeze(Object.fromEntries((Object.keys(SYSCALLS) as SyscallName[]).map((name) => [name, entryOf(name)]))) as Readonly<Record<SyscallName, Syscall>>;

/**
 * The `sys` of one process image. Each method names its owner, so code of a
 * process left running after it exited (a pending promise chain, a callback)
 * can never make calls as whichever process runs at that moment. Written out
 * as one literal: it is the whole API at a glance, and an object of fixed
 * shape builds an order of magnitude faster than one filled in a loop (a run
 * makes one per process). syscalls.test.ts checks it against SYSCALLS.
 */
export function createSys(k: Kernel, proc: Proc): Readonly<Record<string, unknown>> {
  const owner = { proc, image: proc.image };
  return Object.freeze({
    getpid: () => k.enterSync('getpid', owner, (thread) => thread.proc.pid),
    getppid: () => k.enterSync('getppid', owner, (thread) => thread.proc.ppid),
    gettid: () => k.enterSync('gettid', owner, (thread) => thread.tid),
    now: () => k.enterSync('now', owner, () => k.simTime),
    // processes
    fork: (...args: unknown[]) => k.enter(SYSCALL.fork, args, owner),
    exec: (...args: unknown[]) => k.enter(SYSCALL.exec, args, owner),
    exit: (...args: unknown[]) => k.enter(SYSCALL.exit, args, owner),
    wait: (...args: unknown[]) => k.enter(SYSCALL.wait, args, owner),
    waitpid: (...args: unknown[]) => k.enter(SYSCALL.waitpid, args, owner),
    kill: (...args: unknown[]) => k.enter(SYSCALL.kill, args, owner),
    // descriptors and files
    open: (...args: unknown[]) => k.enter(SYSCALL.open, args, owner),
    read: (...args: unknown[]) => k.enter(SYSCALL.read, args, owner),
    write: (...args: unknown[]) => k.enter(SYSCALL.write, args, owner),
    close: (...args: unknown[]) => k.enter(SYSCALL.close, args, owner),
    dup: (...args: unknown[]) => k.enter(SYSCALL.dup, args, owner),
    dup2: (...args: unknown[]) => k.enter(SYSCALL.dup2, args, owner),
    unlink: (...args: unknown[]) => k.enter(SYSCALL.unlink, args, owner),
    readdir: (...args: unknown[]) => k.enter(SYSCALL.readdir, args, owner),
    print: (...args: unknown[]) => k.enter(SYSCALL.print, args, owner),
    // pipes and FIFOs
    pipe: (...args: unknown[]) => k.enter(SYSCALL.pipe, args, owner),
    socketpair: (...args: unknown[]) => k.enter(SYSCALL.socketpair, args, owner),
    mkfifo: (...args: unknown[]) => k.enter(SYSCALL.mkfifo, args, owner),
    // signals
    signal: (...args: unknown[]) => k.enter(SYSCALL.signal, args, owner),
    pause: (...args: unknown[]) => k.enter(SYSCALL.pause, args, owner),
    alarm: (...args: unknown[]) => k.enter(SYSCALL.alarm, args, owner),
    // threads
    thread: (...args: unknown[]) => k.enter(SYSCALL.thread, args, owner),
    join: (...args: unknown[]) => k.enter(SYSCALL.join, args, owner),
    // synchronisation
    sem_open: (...args: unknown[]) => k.enter(SYSCALL.sem_open, args, owner),
    sem_init: (...args: unknown[]) => k.enter(SYSCALL.sem_init, args, owner),
    sem_wait: (...args: unknown[]) => k.enter(SYSCALL.sem_wait, args, owner),
    sem_trywait: (...args: unknown[]) => k.enter(SYSCALL.sem_trywait, args, owner),
    sem_post: (...args: unknown[]) => k.enter(SYSCALL.sem_post, args, owner),
    sem_getvalue: (...args: unknown[]) => k.enter(SYSCALL.sem_getvalue, args, owner),
    mutex_init: (...args: unknown[]) => k.enter(SYSCALL.mutex_init, args, owner),
    mutex_lock: (...args: unknown[]) => k.enter(SYSCALL.mutex_lock, args, owner),
    mutex_trylock: (...args: unknown[]) => k.enter(SYSCALL.mutex_trylock, args, owner),
    mutex_unlock: (...args: unknown[]) => k.enter(SYSCALL.mutex_unlock, args, owner),
    cond_init: (...args: unknown[]) => k.enter(SYSCALL.cond_init, args, owner),
    cond_wait: (...args: unknown[]) => k.enter(SYSCALL.cond_wait, args, owner),
    cond_signal: (...args: unknown[]) => k.enter(SYSCALL.cond_signal, args, owner),
    cond_broadcast: (...args: unknown[]) => k.enter(SYSCALL.cond_broadcast, args, owner),
    // message queues
    msgget: (...args: unknown[]) => k.enter(SYSCALL.msgget, args, owner),
    msgsnd: (...args: unknown[]) => k.enter(SYSCALL.msgsnd, args, owner),
    msgrcv: (...args: unknown[]) => k.enter(SYSCALL.msgrcv, args, owner),
    msgctl: (...args: unknown[]) => k.enter(SYSCALL.msgctl, args, owner),
    // message passing
    send_to: (...args: unknown[]) => k.enter(SYSCALL.send_to, args, owner),
    receive_from: (...args: unknown[]) => k.enter(SYSCALL.receive_from, args, owner),
    mailbox_create: (...args: unknown[]) => k.enter(SYSCALL.mailbox_create, args, owner),
    mailbox_open: (...args: unknown[]) => k.enter(SYSCALL.mailbox_open, args, owner),
    mailbox_send: (...args: unknown[]) => k.enter(SYSCALL.mailbox_send, args, owner),
    mailbox_receive: (...args: unknown[]) => k.enter(SYSCALL.mailbox_receive, args, owner),
    mailbox_destroy: (...args: unknown[]) => k.enter(SYSCALL.mailbox_destroy, args, owner),
    port_allocate: (...args: unknown[]) => k.enter(SYSCALL.port_allocate, args, owner),
    msg_send: (...args: unknown[]) => k.enter(SYSCALL.msg_send, args, owner),
    msg_receive: (...args: unknown[]) => k.enter(SYSCALL.msg_receive, args, owner),
    msg_rpc: (...args: unknown[]) => k.enter(SYSCALL.msg_rpc, args, owner),
    msg_reply: (...args: unknown[]) => k.enter(SYSCALL.msg_reply, args, owner),
    // shared memory
    shmget: (...args: unknown[]) => k.enter(SYSCALL.shmget, args, owner),
    shmat: (...args: unknown[]) => k.enter(SYSCALL.shmat, args, owner),
    shmdt: (...args: unknown[]) => k.enter(SYSCALL.shmdt, args, owner),
    shmctl: (...args: unknown[]) => k.enter(SYSCALL.shmctl, args, owner),
    // sockets
    socket: (...args: unknown[]) => k.enter(SYSCALL.socket, args, owner),
    bind: (...args: unknown[]) => k.enter(SYSCALL.bind, args, owner),
    listen: (...args: unknown[]) => k.enter(SYSCALL.listen, args, owner),
    accept: (...args: unknown[]) => k.enter(SYSCALL.accept, args, owner),
    connect: (...args: unknown[]) => k.enter(SYSCALL.connect, args, owner),
    send: (...args: unknown[]) => k.enter(SYSCALL.send, args, owner),
    recv: (...args: unknown[]) => k.enter(SYSCALL.recv, args, owner),
    sendto: (...args: unknown[]) => k.enter(SYSCALL.sendto, args, owner),
    recvfrom: (...args: unknown[]) => k.enter(SYSCALL.recvfrom, args, owner),
    shutdown: (...args: unknown[]) => k.enter(SYSCALL.shutdown, args, owner),
    getsockname: (...args: unknown[]) => k.enter(SYSCALL.getsockname, args, owner),
    getpeername: (...args: unknown[]) => k.enter(SYSCALL.getpeername, args, owner),
    getservbyname: (...args: unknown[]) => k.enter(SYSCALL.getservbyname, args, owner),
    hostaddr: (...args: unknown[]) => k.enter(SYSCALL.hostaddr, args, owner),
    // time
    sleep: (...args: unknown[]) => k.enter(SYSCALL.sleep, args, owner),
    yield: (...args: unknown[]) => k.enter(SYSCALL.yield, args, owner),
  });
}
