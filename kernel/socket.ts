/**
 * Sockets: the open file description behind socket(). A stream socket is one
 * end of a connection made of two one-way Streams; a datagram socket has an
 * inbox of whole messages. The network (net.ts) binds ports and carries inet
 * datagrams; unix sockets are named by a node in their host's file system.
 */
import { traceValue } from './clone';
import { SysError, sysError } from './errors';
import { OpenFile } from './fd';
import type { SocketNode } from './fs';
import { acquire, release, VectorClock } from './hb';
import type { Kernel } from './kernel';
import { formatAddress, isInet, type Address, type InetAddress, type Protocol } from './net';
import type { Host } from './proc';
import { sendSignal } from './signal';
import { GONE, PARTIAL, type Outcome, type Request, type Thread } from './thread';
import { WaitQueue } from './waitqueue';

export type Domain = 'unix' | 'inet';
export type SocketType = 'stream' | 'dgram';

/** A datagram on its way or waiting in its receiver's inbox. */
export interface Datagram {
  data: string;
  /** The sender's address, as recvfrom reports it. */
  from: Address;
  /** The sending thread's key, for the trace's arrows. */
  sender: string;
  /** What the sender had done when it sent (happens-before). */
  clock: VectorClock;
}

/** Characters one send put in a stream, with the thread that sent them. */
interface Segment {
  data: string;
  sender: string;
}

/** One direction of a stream connection: what one socket sent and its peer has not yet received. */
export class Stream {
  /** Sent and not yet received, oldest first; a recv may cut anywhere across them. */
  private readonly segments: Segment[] = [];
  /** Characters in `segments`. */
  length = 0;
  /** The sender closed or shut down writing: once drained, recv returns ''. */
  ended = false;
  /** The receiver shut down reading: whatever arrives is thrown away. */
  discarding = false;
  /** The receiver closed its socket: sends fail with EPIPE. */
  abandoned = false;
  /** Woken when data arrives or the sender ends. */
  readonly readable = new WaitQueue('socket data');
  /** Woken when space frees up or the receiver leaves. */
  readonly writable = new WaitQueue('socket space');
  /** Senders publish to receivers through it (happens-before). */
  readonly clock = new VectorClock();

  constructor(
    readonly capacity: number,
    /** How traces and reports name this direction: 'tcp 10.0.0.2:49152 → 10.0.0.1:7'. */
    readonly label: string,
  ) {}

  /** How many characters of a send of `wanted` fit now (all of them when the receiver discards). */
  room(wanted: number): number {
    return this.discarding ? wanted : Math.min(wanted, this.capacity - this.length);
  }

  /** Appends as much of `data` as fits (all of it when the receiver discards); the count taken. */
  put(data: string, sender: string): number {
    if (this.discarding) return data.length;
    const chunk = data.slice(0, this.capacity - this.length);
    if (chunk.length === 0) return 0;
    this.segments.push({ data: chunk, sender });
    this.length += chunk.length;
    this.readable.wakeup();
    return chunk.length;
  }

  /** Removes the first `count` characters; with the sender of the first of them. */
  take(count: number): Segment {
    const sender = this.segments[0].sender;
    let data = '';
    while (data.length < count) {
      const head = this.segments[0];
      const want = count - data.length;
      if (head.data.length <= want) {
        data += head.data;
        this.segments.shift();
      } else {
        data += head.data.slice(0, want);
        head.data = head.data.slice(want);
      }
    }
    this.length -= count;
    this.writable.wakeup();
    return { data, sender };
  }

  /** The receiver stops reading: what is queued and what comes later is dropped. */
  discard(): void {
    this.segments.length = 0;
    this.length = 0;
    this.discarding = true;
    this.readable.wakeup();
    this.writable.wakeup();
  }
}

/** A socket: an open file description, so read/write/close/dup/fork work through the fd table. */
export class Socket extends OpenFile {
  /** The address bound (by bind, or by connect, listen or sendto without one); null until then. */
  local: Address | null = null;
  /** The connected peer (stream), or the default destination connect set (datagram). */
  peer: Address | null = null;
  /** listen() was called: connections queue in `backlog` until accepted. */
  listening = false;
  /** How many connections may wait in `backlog` before connect blocks. */
  backlogLimit = 0;
  /** Connections made and not yet accepted (their server-side sockets), oldest first. */
  readonly backlog: Socket[] = [];
  /** Woken when a connection is queued or the socket closes (accept waits here). */
  readonly connections = new WaitQueue('socket connection');
  /** Woken when accept takes from the backlog or the listener closes (a connect waiting for room waits here). */
  readonly backlogSpace = new WaitQueue('socket backlog');
  /** A connected stream socket: what the peer sends to us. */
  inbound: Stream | null = null;
  /** A connected stream socket: what we send to the peer. */
  outbound: Stream | null = null;
  /** The socket at the other end of a stream connection. */
  peerSocket: Socket | null = null;
  /** Datagrams arrived and not yet received, in arrival order. */
  readonly inbox: Datagram[] = [];
  /** Woken when a datagram arrives or the socket closes. */
  readonly arrivals = new WaitQueue('datagram');
  /** Every descriptor on it is closed: nothing reaches it any more. */
  closed = false;

  constructor(
    readonly domain: Domain,
    readonly type: SocketType,
    /** The host it lives on: its address, port tables and file system. */
    readonly host: Host,
  ) {
    super(true, true, false);
  }

  get kind(): string {
    return 'socket';
  }

  get protocol(): Protocol {
    return this.type === 'stream' ? 'tcp' : 'udp';
  }

  /** The address getsockname reports: the bound one, or port 0 / no path while unbound. */
  get name(): Address {
    if (this.local) return { ...this.local };
    return this.domain === 'inet' ? { host: this.host.addr, port: 0 } : { path: null };
  }

  private get connected(): boolean {
    return this.outbound !== null;
  }

  /** bind(): takes a port of the host's table, or makes a socket node at the path. */
  bind(k: Kernel, address: Address, call = 'bind'): void {
    if (this.local) throw sysError('EINVAL', call, `this socket is already bound to ${formatAddress(this.local)}`);
    if (isInet(address)) {
      if (address.host !== this.host.addr) {
        throw sysError('EADDRNOTAVAIL', call, `${address.host} is not this host's address (${this.host.addr})`);
      }
      const port = k.net.ports(this.host.addr, this.protocol).bind(address.port, this, call);
      this.local = { host: this.host.addr, port };
      return;
    }
    const path = address.path!;
    const node: SocketNode = { type: 'socket', path, socket: this };
    try {
      this.host.fs.create(path, node, call);
    } catch (error) {
      if (error instanceof SysError && error.code === 'EEXIST') {
        throw sysError('EADDRINUSE', call, `'${path}' already exists (unlink it first to reuse the name)`);
      }
      throw error;
    }
    this.local = { path };
  }

  /** An inet socket that connects or sends before binding gets an ephemeral port. */
  private autobind(k: Kernel, call: string): void {
    if (!this.local && this.domain === 'inet') this.bind(k, { host: this.host.addr, port: 0 }, call);
  }

  listen(k: Kernel, backlog: number, call = 'listen'): void {
    if (this.type !== 'stream') throw sysError('EOPNOTSUPP', call, 'only stream sockets listen for connections');
    if (this.connected) throw sysError('EINVAL', call, `this socket is already connected to ${formatAddress(this.peer)}`);
    if (!this.local && this.domain === 'unix') throw sysError('EINVAL', call, 'bind the socket to a path before listening');
    this.autobind(k, call);
    this.listening = true;
    // A backlog of 0 still admits one connection, as Linux does, so a server can accept at all.
    this.backlogLimit = Math.max(1, backlog);
    this.backlogSpace.wakeup();
  }

  /** accept(): the oldest queued connection, installed at a new fd. */
  accept(t: Thread, call = 'accept'): Outcome {
    if (!this.listening) throw sysError('EINVAL', call, 'the socket is not listening: call listen() first');
    const next = this.backlog[0];
    if (!next) {
      return t.sleep(this.connections, () => `accept on ${formatAddress(this.local)} waits for a connection; no process is connecting`);
    }
    const fd = t.proc.fds.alloc(next, call);
    this.backlog.shift();
    this.backlogSpace.wakeup();
    acquire(t, next.inbound!);
    return { fd, peer: { ...next.peer! } };
  }

  /** connect(): a stream joins the listener's backlog (waiting while it is full); a datagram socket sets its default peer. */
  connect(k: Kernel, t: Thread, address: Address, call = 'connect'): Outcome {
    if (this.listening) throw sysError('EINVAL', call, 'a listening socket cannot connect');
    if (this.type === 'dgram') {
      if (!isInet(address)) this.unixTarget(address, call);
      this.autobind(k, call);
      this.peer = { ...address };
      return undefined;
    }
    if (this.connected) throw sysError('EISCONN', call, `this socket is already connected to ${formatAddress(this.peer)}`);
    const listener = this.listenerAt(k, address);
    if (!listener) {
      throw sysError('ECONNREFUSED', call, isInet(address) && !k.net.hasHost(address.host)
        ? `there is no host ${address.host} in this run` : `nobody listens on ${formatAddress(address)}`);
    }
    if (listener.backlog.length >= listener.backlogLimit) {
      return t.sleep(listener.backlogSpace, () =>
        `connect to ${formatAddress(address)} waits for room in the listener's backlog ` +
        `(${listener.backlog.length} of ${listener.backlogLimit} connections queued) and nobody accepts them; ` +
        `the listening socket is open in ${k.describeHolders((file) => file === listener)}`);
    }
    this.autobind(k, call);
    const server = new Socket(listener.domain, 'stream', listener.host);
    server.local = listener.local && { ...listener.local };
    server.peer = this.name;
    this.peer = { ...address };
    const up = new Stream(k.options.socketCapacity, `${this.protocolName} ${formatAddress(this.name)} → ${formatAddress(address)}`);
    const down = new Stream(k.options.socketCapacity, `${this.protocolName} ${formatAddress(address)} → ${formatAddress(this.name)}`);
    [this.outbound, this.inbound, this.peerSocket] = [up, down, server];
    [server.inbound, server.outbound, server.peerSocket] = [up, down, this];
    // The connection publishes what the client did before it to whoever accepts it.
    release(t, up);
    listener.backlog.push(server);
    listener.connections.wakeup();
    return undefined;
  }

  private get protocolName(): string {
    return this.domain === 'unix' ? 'unix' : this.protocol;
  }

  /** The live listening stream socket at `address`, if any. */
  private listenerAt(k: Kernel, address: Address): Socket | null {
    let found: Socket | undefined;
    if (isInet(address)) {
      found = k.net.hasHost(address.host) ? k.net.ports(address.host, 'tcp').lookup(address.port) : undefined;
    } else {
      const node = this.host.fs.lookup(address.path!);
      found = node?.type === 'socket' ? node.socket : undefined;
    }
    return found && !found.closed && found.listening && found.type === 'stream' ? found : null;
  }

  /** The live unix datagram socket named by `address`, or ECONNREFUSED. */
  private unixTarget(address: Address, call: string): Socket {
    const node = isInet(address) ? undefined : this.host.fs.lookup(address.path!);
    const target = node?.type === 'socket' ? node.socket : undefined;
    if (!target || target.closed || target.type !== 'dgram') {
      throw sysError('ECONNREFUSED', call, `no datagram socket is bound to ${formatAddress(address)}`);
    }
    return target;
  }

  /** send() and write(): all of `data` goes into the connection, waiting while it is full. */
  send(k: Kernel, t: Thread, req: Request, data: string, call = 'send'): Outcome {
    if (this.type === 'dgram') {
      if (!this.peer) throw sysError('ENOTCONN', call, 'this datagram socket has no default destination: use sendto(), or connect() first');
      return this.sendto(k, t, data, this.peer, call);
    }
    const out = this.outbound;
    if (!out) throw sysError('ENOTCONN', call, 'the socket is not connected');
    const written = req.written;
    if (out.ended || out.abandoned) {
      sendSignal(k, t.proc, 'SIGPIPE', t);
      if (!t.proc.alive) return GONE;
      if (written > 0) return written;
      throw sysError('EPIPE', call, out.ended ? 'this socket was shut down for writing'
        : `the peer (${formatAddress(this.peer)}) has closed the connection`);
    }
    if (data.length === 0) return 0;
    // A stream keeps no boundaries: the scheduler may split a send anywhere.
    const fits = out.room(data.length - written);
    const piece = k.ioCount(fits, fits);
    const taken = out.put(data.slice(written, written + piece), t.key);
    if (taken > 0) {
      release(t, out);
      req.written = written + taken;
      if (written + taken === data.length) return data.length;
      if (piece < fits) return PARTIAL;
    }
    return t.sleep(out.writable, () =>
      `${call} on ${formatAddress(this.local)}: the connection to ${formatAddress(this.peer)} is full ` +
      `(${out.length} of ${out.capacity} characters) and its receiver does not take them; ${this.peerWhereabouts(k)}`);
  }

  /** recv() and read(): up to `n` characters, cut where the run's seed says; '' at end of stream. */
  recv(k: Kernel, t: Thread, n: number, call = 'recv', nowait = false): Outcome {
    if (this.type === 'dgram') {
      const outcome = this.recvfrom(k, t, call, nowait);
      return typeof outcome === 'object' && outcome !== null ? (outcome as { data: string }).data.slice(0, n) : outcome;
    }
    const input = this.inbound;
    if (!input) throw sysError('ENOTCONN', call, 'the socket is not connected');
    if (input.discarding) return '';
    if (input.length > 0) {
      // A stream keeps no boundaries: the machine decides how much of what is there this recv gets.
      const available = Math.min(n, input.length);
      // Round robin keeps the cut the run's seed draws; the other strategies choose it as a recorded decision.
      const segment = input.take(k.ioCount(available, 1 + k.rng.below(available)));
      acquire(t, input);
      noteDelivery(k, segment.sender, t, input.label, segment.data);
      return segment.data;
    }
    if (input.ended) return '';
    if (nowait) throw sysError('EAGAIN', call, 'no data has arrived yet and the call is non-blocking');
    return t.sleep(input.readable, () =>
      `${call} on ${formatAddress(this.local)} waits for data from ${formatAddress(this.peer)}; ${this.peerWhereabouts(k)}`);
  }

  /** Says, for a deadlock report, where the other end of the connection is. */
  private peerWhereabouts(k: Kernel): string {
    const peer = this.peerSocket;
    if (!peer || peer.closed) return 'the peer has closed it';
    if (peer.refs === 0) return 'the peer has not accepted the connection yet';
    return `the peer socket is open in ${k.describeHolders((file) => file === peer)}`;
  }

  /** sendto(): one datagram to `to`; an inet one may be lost between hosts, a unix one always arrives. */
  sendto(k: Kernel, t: Thread, data: string, to: Address, call = 'sendto'): Outcome {
    if (this.type !== 'dgram') throw sysError('EOPNOTSUPP', call, 'a stream socket sends with send() to the peer it is connected to');
    const target = isInet(to) ? null : this.unixTarget(to, call);
    this.autobind(k, call);
    const datagram: Datagram = { data, from: this.name, sender: t.key, clock: new VectorClock() };
    release(t, datagram);
    if (target) target.arrive(datagram);
    else k.net.route(this.host.addr, to as InetAddress, datagram);
    return data.length;
  }

  /** A datagram reached this socket's address. */
  arrive(datagram: Datagram): void {
    if (this.closed) return;
    this.inbox.push(datagram);
    this.arrivals.wakeup();
  }

  /** recvfrom(): the oldest datagram whole, with its sender's address. */
  recvfrom(k: Kernel, t: Thread, call = 'recvfrom', nowait = false): Outcome {
    if (this.type !== 'dgram') throw sysError('EOPNOTSUPP', call, 'a stream socket receives with recv()');
    const datagram = this.inbox.shift();
    if (!datagram) {
      if (nowait) throw sysError('EAGAIN', call, 'no datagram has arrived and the call is non-blocking');
      return t.sleep(this.arrivals, () => this.local
        ? `${call} on ${formatAddress(this.local)} waits for a datagram; none is on its way`
        : `${call} waits for a datagram on a socket with no address: nobody can send to it`);
    }
    acquire(t, datagram);
    noteDelivery(k, datagram.sender, t, `${this.protocolName} ${formatAddress(this.local)}`, datagram.data);
    return { data: datagram.data, from: { ...datagram.from } };
  }

  shutdown(how: 'read' | 'write' | 'both', call = 'shutdown'): void {
    if (!this.inbound || !this.outbound) throw sysError('ENOTCONN', call, 'the socket is not connected');
    if (how !== 'write') this.inbound.discard();
    if (how !== 'read') {
      this.outbound.ended = true;
      this.outbound.readable.wakeup();
      this.outbound.writable.wakeup();
    }
  }

  /** The last descriptor closed: free the port, end both directions, refuse what waits in the backlog. */
  close(k: Kernel): void {
    if (this.closed) return;
    this.closed = true;
    if (this.local && isInet(this.local)) k.net.ports(this.host.addr, this.protocol).unbind(this.local.port, this);
    this.listening = false;
    for (const pending of this.backlog.splice(0)) pending.close(k);
    if (this.inbound) {
      this.inbound.discard();
      this.inbound.abandoned = true;
    }
    if (this.outbound) {
      this.outbound.ended = true;
      this.outbound.readable.wakeup();
    }
    this.inbox.length = 0;
    // Threads still blocked on it retry and find their descriptor gone.
    this.connections.wakeup();
    this.backlogSpace.wakeup();
    this.arrivals.wakeup();
  }

  read(k: Kernel, t: Thread, _req: Request, n: number): Outcome {
    return this.recv(k, t, n, 'read');
  }

  write(k: Kernel, t: Thread, req: Request, data: string): Outcome {
    return this.send(k, t, req, data, 'write');
  }

  protected released(k: Kernel): void {
    this.close(k);
  }
}

/** Draws the trace's arrow for a segment or datagram handed to its receiver. */
function noteDelivery(k: Kernel, from: string, to: Thread, channel: string, data: string): void {
  if (k.current) k.current.message = { from, to: to.key, channel, data: traceValue(data) };
}
