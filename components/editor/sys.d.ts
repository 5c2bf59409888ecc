/**
 * The student API (`../shared/spec/student-api.md`) as TypeScript declarations:
 * what the exercise page's editor completes, documents on hover and checks.
 * A module here (so the app's own program is not given these names); the
 * editor's language service makes them globals (see sandbox-globals.ts).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a message's data is whatever was sent: students read its fields without casts */

/** The errno names a failing call rejects with. */
export type Errno =
  | 'EBADF' | 'EPIPE' | 'EAGAIN' | 'ECHILD' | 'EINTR' | 'ENOENT' | 'EEXIST' | 'ESRCH'
  | 'EINVAL' | 'EIDRM' | 'ECONNREFUSED' | 'EADDRINUSE' | 'ENOTCONN' | 'EPERM' | 'ENXIO'
  | 'ENOSYS' | 'EISDIR' | 'ENOTDIR' | 'EACCES' | 'EDEADLK' | 'EISCONN' | 'EOPNOTSUPP'
  | 'EDESTADDRREQ' | 'EMSGSIZE' | 'ECONNRESET' | 'ENOTSOCK' | 'EAFNOSUPPORT' | 'EADDRNOTAVAIL'
  | 'ETIMEDOUT' | 'ENOMEM' | 'ENOSPC' | 'ENOEXEC' | 'EMFILE';

/** What every failing `sys` call rejects with: `catch (e) { if (e.code === 'EINTR') … }`. */
export declare class SysError extends Error {
  /** The errno name, such as `'EPIPE'`. */
  readonly code: Errno;
  /** The name of the call that failed, such as `'write'`. */
  readonly syscall: string;
  constructor(code: Errno, syscall: string, message: string);
}

/** A signal's name; each has its standard default action (terminate, core, ignore, stop, continue). */
export type SignalName =
  | 'SIGINT' | 'SIGQUIT' | 'SIGILL' | 'SIGABRT' | 'SIGKILL' | 'SIGSEGV' | 'SIGPIPE' | 'SIGALRM'
  | 'SIGTERM' | 'SIGUSR1' | 'SIGUSR2' | 'SIGCHLD' | 'SIGCONT' | 'SIGSTOP' | 'SIGTSTP';

/** A handler runs in the process's main thread at its next scheduling point and may call `sys`. */
export type SignalHandler = (sig: SignalName) => unknown;
export type SignalDisposition = SignalHandler | 'default' | 'ignore';

/** How a child ended: `status` is its exit status, or null when `signal` (its name) killed it. */
export interface ChildExit {
  pid: number;
  status: number | null;
  signal: SignalName | null;
}

/** `'r'` read, `'w'` create or truncate, `'a'` create or append, `'rw'` both; add `'n'` for non-blocking. */
export type OpenFlags = 'r' | 'w' | 'a' | 'rw' | 'rn' | 'wn' | 'an' | 'rwn';

/** A message queue key or a mailbox name: `7` and `'7'` are different keys. */
export type IpcKey = number | string;

/** `nowait: true` turns a call that would block into an `EAGAIN` rejection. */
export interface NoWait {
  nowait?: boolean;
}

/** `0` is a rendezvous, `n` a bounded buffer, `Infinity` unbounded. */
export interface Capacity {
  capacity?: number;
}

/** A message taken from a direct link or a mailbox: who sent it (a pid) and a copy of its data. */
export interface Received<T = any> {
  from: number;
  data: T;
}

/** A message from `msg_receive`; answer a `msg_rpc` with `msg_reply(message, data)`. */
export interface PortMessage<T = any> extends Received<T> {
  replyPort?: number;
}

/** An inet socket address; `host` defaults to the caller's address, `port: 0` picks a free port. */
export interface InetAddress {
  host?: string;
  port: number;
}

/** A unix-domain socket address: a path in the file system (null for a socket that never bound). */
export interface UnixAddress {
  path: string | null;
}

export type SocketAddress = InetAddress | UnixAddress;

/** An address the kernel reports: `host` and `port` for an inet socket, `path` (and no host or port) for a unix one. */
export interface SocketName {
  host: string;
  port: number;
  path?: string | null;
}

/** An opaque semaphore handle from `sem_open` or `sem_init`. */
export interface Semaphore {
  readonly kind: 'semaphore';
  readonly id: number;
}

/** An opaque mutex handle from `mutex_init`. */
export interface Mutex {
  readonly kind: 'mutex';
  readonly id: number;
}

/** An opaque condition variable handle from `cond_init`. */
export interface CondVar {
  readonly kind: 'cond';
  readonly id: number;
}

/** An attached shared-memory segment: `size` number cells, each method a scheduling point. */
export interface Segment {
  readonly shmid: number;
  readonly size: number;
  /** Reads cell `i`; `EINVAL` outside the segment. */
  load(i: number): Promise<number>;
  /** Writes `v` into cell `i`. */
  store(i: number, v: number): Promise<void>;
  /** Atomically sets cell `i` to `v` if it holds `expected`; resolves to the value it held. */
  compareExchange(i: number, expected: number, v: number): Promise<number>;
  /** Atomically adds `delta` to cell `i`; resolves to the value it held before. */
  add(i: number, delta: number): Promise<number>;
}

/**
 * The simulated kernel's system calls. Every call but `getpid`, `getppid`,
 * `gettid` and `now` returns a Promise and is a scheduling point; a call the
 * exercise has not enabled rejects with `ENOSYS`.
 */
export interface Sys {
  // processes

  /** This process's id (the first user process is pid 2). */
  getpid(): number;
  /** The parent's pid (1 once the parent has exited and init adopted this process). */
  getppid(): number;
  /** This thread's id (a process's main thread has its pid). */
  gettid(): number;
  /** Returns twice: the child's pid in the parent, 0 in the child, which gets a copy of everything. `EAGAIN` past the process limit. */
  fork(): Promise<number>;
  /** Replaces this process with a program from /bin (`'ls'` or `'/bin/ls'`), keeping its fds. `ENOENT` for an unknown program. */
  exec(path: string, args?: string[]): Promise<never>;
  /** Ends this process with `status` (0 by default); returning from `main` does the same. */
  exit(status?: number): Promise<never>;
  /** Waits for any child to end and reaps it. `ECHILD` when there is none. */
  wait(): Promise<ChildExit>;
  /** Waits for child `pid` (-1: any); with `nohang`, null when none has ended yet. `ECHILD` for no such child. */
  waitpid(pid: number, options?: { nohang?: boolean }): Promise<ChildExit | null>;
  /** Sends signal `sig` to process `pid` (0 only checks that it exists). `ESRCH` when it does not. */
  kill(pid: number, sig: SignalName | 0): Promise<void>;

  // descriptors and files

  /** Opens a file or FIFO and resolves to the lowest free fd. A FIFO's open blocks until the other side opens it. */
  open(path: string, flags?: OpenFlags): Promise<number>;
  /** Reads at most `n` characters; blocks on an empty pipe while a writer exists; `''` means end of file. */
  read(fd: number, n: number): Promise<string>;
  /** Writes `data` and resolves to the count written; blocks while a pipe is full. `EPIPE` when nobody can read. */
  write(fd: number, data: string): Promise<number>;
  /** Closes `fd`; a pipe's reader sees end of file once every write end is closed. */
  close(fd: number): Promise<void>;
  /** Copies `fd` to the lowest free descriptor and resolves to it. */
  dup(fd: number): Promise<number>;
  /** Makes `newfd` refer to what `oldfd` does, closing `newfd` first. */
  dup2(oldfd: number, newfd: number): Promise<number>;
  /** Removes a name from the file system; open descriptors keep working. */
  unlink(path: string): Promise<void>;
  /** The names in directory `path` (the working directory /home by default), sorted. */
  readdir(path?: string): Promise<string[]>;
  /** Writes the arguments joined by spaces, plus a newline, to stdout (fd 1). */
  print(...args: unknown[]): Promise<void>;

  // pipes and FIFOs

  /** Creates a pipe: resolves to `[readFd, writeFd]`. */
  pipe(): Promise<[number, number]>;
  /** Creates a duplex pipe: two fds, each readable and writable. */
  socketpair(): Promise<[number, number]>;
  /** Makes a named pipe at `path`. `EEXIST` when the name is taken. */
  mkfifo(path: string): Promise<void>;

  // signals

  /** Sets what signal `sig` does and resolves to the previous disposition; `{restart: true}` restarts an interrupted call instead of `EINTR`. */
  signal(sig: SignalName, handler: SignalDisposition, options?: { restart?: boolean }): Promise<SignalDisposition>;
  /** Blocks until a signal's handler has run, then rejects with `EINTR`. */
  pause(): Promise<never>;
  /** Sends this process `SIGALRM` after `ms` simulated milliseconds (0 cancels); resolves to the time left on the previous alarm. */
  alarm(ms: number): Promise<number>;

  // threads

  /** Starts a thread running `fn(...args)` in this process's address space; resolves to its tid. */
  thread<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): Promise<number>;
  /** Waits for thread `tid` to finish and resolves to what its function returned. */
  join<T = any>(tid: number): Promise<T>;

  // semaphores, mutexes, condition variables

  /** Opens the named semaphore any process can share, creating it with `initial` the first time. */
  sem_open(name: string, initial: number): Promise<Semaphore>;
  /** Creates an unnamed semaphore for this process's threads and children forked later. */
  sem_init(initial: number): Promise<Semaphore>;
  /** Decrements the semaphore, blocking while it is 0. */
  sem_wait(s: Semaphore): Promise<void>;
  /** Decrements the semaphore if it is positive, else rejects with `EAGAIN`. */
  sem_trywait(s: Semaphore): Promise<void>;
  /** Increments the semaphore, waking one waiter. */
  sem_post(s: Semaphore): Promise<void>;
  /** The semaphore's current value. */
  sem_getvalue(s: Semaphore): Promise<number>;
  /** Creates a mutex for this process's threads. */
  mutex_init(): Promise<Mutex>;
  /** Locks the mutex, blocking while another thread holds it. */
  mutex_lock(m: Mutex): Promise<void>;
  /** Locks the mutex if it is free, else rejects with `EAGAIN`. */
  mutex_trylock(m: Mutex): Promise<void>;
  /** Unlocks the mutex. `EPERM` when the caller does not hold it. */
  mutex_unlock(m: Mutex): Promise<void>;
  /** Creates a condition variable. */
  cond_init(): Promise<CondVar>;
  /** Unlocks `m`, sleeps until signalled, then locks `m` again before resolving. */
  cond_wait(c: CondVar, m: Mutex): Promise<void>;
  /** Wakes one thread waiting on the condition variable. */
  cond_signal(c: CondVar): Promise<void>;
  /** Wakes every thread waiting on the condition variable. */
  cond_broadcast(c: CondVar): Promise<void>;

  // message queues (System V)

  /** The id of the queue with `key`, created on first use (holding `capacity` messages, 8 by default). */
  msgget(key: IpcKey, options?: Capacity): Promise<number>;
  /** Queues a copy of `data` with `type` (at least 1), blocking while the queue is full. */
  msgsnd(qid: number, type: number, data: unknown, options?: NoWait): Promise<void>;
  /** Takes a message: type 0 the first, > 0 the first of that type, < 0 the lowest type up to |type|. Blocks while none matches. */
  msgrcv<T = any>(qid: number, type?: number, options?: NoWait): Promise<{ type: number; data: T }>;
  msgrcv<T = any>(qid: number, options: NoWait): Promise<{ type: number; data: T }>;
  /** `'IPC_RMID'` removes the queue (blocked callers reject with `EIDRM`); `'IPC_STAT'` describes it. */
  msgctl(qid: number, command: 'IPC_RMID'): Promise<void>;
  msgctl(qid: number, command: 'IPC_STAT'): Promise<{ key: IpcKey; messages: number; capacity: number }>;

  // direct messages, mailboxes and Mach-style ports

  /** Sends a copy of `data` to process `pid`, blocking per the link's capacity. `ESRCH` for no such process. */
  send_to(pid: number, data: unknown, options?: NoWait): Promise<void>;
  /** Receives the next message from `pid` (or `'any'` sender), blocking while there is none. */
  receive_from<T = any>(pid: number | 'any', options?: NoWait): Promise<Received<T>>;
  /** Creates a mailbox (named, so others can open it, or not) and resolves to its id; capacity 8 by default. */
  mailbox_create(name?: IpcKey, options?: Capacity): Promise<number>;
  mailbox_create(options: Capacity): Promise<number>;
  /** The id of the existing mailbox called `name`. */
  mailbox_open(name: IpcKey): Promise<number>;
  /** Sends a copy of `data` to the mailbox, blocking while it is full. */
  mailbox_send(mb: number, data: unknown, options?: NoWait): Promise<void>;
  /** Takes the next message from the mailbox, blocking while it is empty. */
  mailbox_receive<T = any>(mb: number, options?: NoWait): Promise<Received<T>>;
  /** Destroys the mailbox; its blocked senders and receivers reject with `EIDRM`. */
  mailbox_destroy(mb: number): Promise<void>;
  /** Allocates a new port (an unnamed mailbox) and resolves to it. */
  port_allocate(options?: Capacity): Promise<number>;
  /** Sends a copy of `data` to a port. */
  msg_send(port: number, data: unknown, options?: NoWait): Promise<void>;
  /** Takes the next message from a port, with its reply port when it came from `msg_rpc`. */
  msg_receive<T = any>(port: number, options?: NoWait): Promise<PortMessage<T>>;
  /** Sends `data` with a fresh reply port and resolves to the data of the reply. */
  msg_rpc<T = any>(port: number, data: unknown): Promise<T>;
  /** Answers a message that came from `msg_rpc` with `data`. */
  msg_reply(msg: PortMessage, data: unknown): Promise<void>;

  // shared memory

  /** The id of the segment with `key`, created with `size` cells, all 0, on first use. */
  shmget(key: IpcKey, size: number): Promise<number>;
  /** Attaches the segment to this process and resolves to it; forked children inherit it. */
  shmat(shmid: number): Promise<Segment>;
  /** Detaches the segment from this process. */
  shmdt(segment: Segment): Promise<void>;
  /** `'IPC_RMID'` removes the segment once nobody has it attached; `'IPC_STAT'` describes it. */
  shmctl(shmid: number, command: 'IPC_RMID'): Promise<void>;
  shmctl(shmid: number, command: 'IPC_STAT'): Promise<{ key: IpcKey; size: number; nattch: number }>;

  // sockets

  /** Creates a socket and resolves to its fd. */
  socket(domain: 'unix' | 'inet', type: 'stream' | 'dgram'): Promise<number>;
  /** Gives the socket its address (`{port}` or `{host, port}` for inet, `{path}` for unix). `EADDRINUSE` when taken. */
  bind(fd: number, addr: SocketAddress): Promise<void>;
  /** Makes a stream socket accept connections, queueing up to `backlog` of them. */
  listen(fd: number, backlog?: number): Promise<void>;
  /** Takes the oldest queued connection: a new fd for it and the peer's address. Blocks while none is queued. */
  accept(fd: number): Promise<{ fd: number; peer: SocketName }>;
  /** Connects to a listening socket; blocks while its backlog is full. `ECONNREFUSED` when nobody listens. */
  connect(fd: number, addr: SocketAddress): Promise<void>;
  /** Sends `data` on a connected stream and resolves to the count sent; the stream keeps no message boundaries. */
  send(fd: number, data: string): Promise<number>;
  /** Receives at most `n` characters of the stream; `''` once the peer has closed or shut down writing. */
  recv(fd: number, n: number, options?: NoWait): Promise<string>;
  /** Sends one datagram to `addr`; between inet hosts it may be lost, duplicated or reordered. */
  sendto(fd: number, data: string, addr: SocketAddress): Promise<number>;
  /** Receives one whole datagram and its sender's address. */
  recvfrom(fd: number, options?: NoWait): Promise<{ data: string; from: SocketName }>;
  /** Shuts down one direction of a stream connection, or both. */
  shutdown(fd: number, how: 'read' | 'write' | 'both'): Promise<void>;
  /** The socket's own address. */
  getsockname(fd: number): Promise<SocketName>;
  /** The address of the connected peer. `ENOTCONN` when not connected. */
  getpeername(fd: number): Promise<SocketName>;
  /** The conventional port of a service (`'echo'` is 7, `'www'` 80, …). `ENOENT` for an unknown one. */
  getservbyname(name: string, proto?: 'tcp' | 'udp'): Promise<number>;
  /** This host's IPv4 address (the first host is `'10.0.0.1'`). */
  hostaddr(): Promise<string>;

  // time

  /** Simulated milliseconds since the run started; only moves while every thread is blocked. */
  now(): number;
  /** Blocks for `ms` simulated milliseconds. */
  sleep(ms: number): Promise<void>;
  /** A scheduling point and nothing else: lets another thread or process run. */
  yield(): Promise<void>;
}

/** A program's entry: `export default async function main(sys: Sys, argv: string[])`; its result is the exit status. */
export type Main = (sys: Sys, argv: any[]) => unknown;
