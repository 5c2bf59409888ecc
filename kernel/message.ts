/**
 * Message passing: the channel mechanism direct links and mailboxes share,
 * and direct links themselves (send_to/receive_from). A channel is a FIFO of
 * copied values with a capacity: `n` messages may wait in it, `Infinity`
 * never makes a sender wait, and `0` is a rendezvous, where the sender's
 * message waits in the channel and the sender sleeps until a receiver has
 * taken it.
 */
import { cloneForDelivery, traceValue } from './clone';
import { sysError } from './errors';
import { acquire, release, VectorClock } from './hb';
import type { Kernel } from './kernel';
import type { Proc } from './proc';
import { BLOCKED, type Outcome, type Request, type Thread } from './thread';
import { WaitQueue } from './waitqueue';

/** One message in flight. */
export interface Message {
  /** The sender's pid, as the receiver sees it. */
  readonly from: number;
  /** The sending thread's key, for the trace's arrow. */
  readonly sender: string;
  /** A copy of the sent value, made when it was sent. */
  readonly data: unknown;
  /** Mach-style: the port a reply goes to (msg_rpc), or null. */
  readonly replyPort: number | null;
  /** What the sender had done when it sent; at a rendezvous also what the receiver had done when it took it. */
  readonly clock: VectorClock;
  /** A receiver has it; a rendezvous sender sleeps until this is true. */
  taken: boolean;
  /** Order of sending among all messages to one process, so receive_from('any') takes the oldest. */
  readonly seq: number;
}

/** A FIFO of messages with a capacity; senders and receivers block on it. */
export class Channel {
  /** Sent and not yet taken, oldest first; at capacity 0 these are blocked senders' messages. */
  readonly queue: Message[] = [];
  /** Receivers waiting for a message. */
  readonly arrivals: WaitQueue;
  /** Senders waiting for room, or at a rendezvous for their message to be taken. */
  readonly departures: WaitQueue;
  /** Destroyed: blocked and later calls fail with EIDRM. */
  removed = false;

  constructor(
    /** Messages that may wait in it: 0 (rendezvous), n, or Infinity. */
    readonly capacity: number,
    /** How traces and reports name it: 'mailbox 3', 'port 4', 'link from pid 2 to pid 3'. */
    readonly label: string,
    /** The receiver's inbox when this is a direct link: its 'any' receivers want this channel's messages too. */
    private readonly inbox: Inbox | null = null,
  ) {
    this.arrivals = new WaitQueue(`${label}: receivers`);
    this.departures = new WaitQueue(`${label}: senders`);
  }

  /** Someone is asleep waiting for a message this channel would give them. */
  get receiverWaiting(): boolean {
    return !this.arrivals.empty || (this.inbox !== null && !this.inbox.anyArrivals.empty);
  }

  /**
   * The send half. The message goes in once (kept in request.state across
   * retries); a rendezvous sender then sleeps until a receiver has taken it.
   */
  send(t: Thread, request: Request, data: unknown, replyPort: number | null, nowait: boolean, call: string,
    waiting: () => string): Outcome {
    const state = request.state as { message?: Message };
    const placed = state.message;
    if (placed?.taken) {
      // The receiver published what it had done into the message when it took it.
      acquire(t, placed);
      return undefined;
    }
    if (this.removed) throw sysError('EIDRM', call, `${this.label} was destroyed`);
    if (placed) return t.sleep(this.departures, waiting);
    const full = this.capacity === 0 ? nowait && !this.receiverWaiting : this.queue.length >= this.capacity;
    if (full) {
      if (nowait) {
        throw sysError('EAGAIN', call, this.capacity === 0
          ? `${this.label} has capacity 0 and no receiver is waiting, and the call is non-blocking`
          : `${this.label} is full (${this.queue.length} of ${this.capacity} messages) and the call is non-blocking`);
      }
      return t.sleep(this.departures, waiting);
    }
    const message: Message = {
      from: t.proc.pid, sender: t.key, data: cloneForDelivery(data), replyPort, clock: new VectorClock(), taken: false,
      seq: this.inbox ? this.inbox.sent++ : 0,
    };
    release(t, message);
    this.queue.push(message);
    this.arrivals.wakeup();
    this.inbox?.anyArrivals.wakeup();
    // A bounded channel keeps the message; a non-blocking rendezvous hands it to a receiver already waiting.
    if (this.capacity > 0 || nowait) return undefined;
    state.message = message;
    request.cleanup = () => this.withdraw(message);
    return t.sleep(this.departures, waiting);
  }

  /** The receive half: the oldest message, EAGAIN, or sleep. */
  receive(k: Kernel, t: Thread, nowait: boolean, call: string, waiting: () => string): Message | typeof BLOCKED {
    if (this.removed) throw sysError('EIDRM', call, `${this.label} was destroyed`);
    if (this.queue.length > 0) return this.take(k, t, 0);
    if (nowait) throw sysError('EAGAIN', call, `${this.label} is empty and the call is non-blocking`);
    return t.sleep(this.arrivals, waiting);
  }

  /** Hands the message at `index` to `t`: the receive acquires what the send released. */
  take(k: Kernel, t: Thread, index: number): Message {
    const [message] = this.queue.splice(index, 1);
    message.taken = true;
    acquire(t, message);
    // A rendezvous is two-way: the sender resumes knowing what the receiver had done.
    if (this.capacity === 0) release(t, message);
    this.departures.wakeup();
    if (k.current) k.current.message = { from: message.sender, to: t.key, channel: this.label, data: traceValue(message.data) };
    return message;
  }

  /** A rendezvous send was abandoned (signal, exit, error): its message must not arrive. */
  withdraw(message: Message): void {
    const index = this.queue.indexOf(message);
    if (index >= 0 && !message.taken) this.queue.splice(index, 1);
  }

  /** Removes the channel: every blocked sender and receiver retries and fails with EIDRM. */
  destroy(): void {
    this.removed = true;
    this.queue.length = 0;
    this.arrivals.wakeup();
    this.departures.wakeup();
  }

  /** "4 of 8 messages", for reports. */
  get fill(): string {
    return `${this.queue.length} of ${this.capacity} messages`;
  }
}

/** A process's side of direct message passing: one link per sender. */
export class Inbox {
  /** Sender pid → the link from it, made on first use with the run's link capacity. */
  readonly links = new Map<number, Channel>();
  /** Threads in receive_from('any'). */
  readonly anyArrivals = new WaitQueue('messages from any process');
  /** Messages ever sent to this process: stamps their order across links. */
  sent = 0;
}

/** The link from `sender` to `receiver`; each end's exit wakes whoever waits on the other. */
function linkBetween(k: Kernel, sender: Proc, receiver: Proc): Channel {
  const inbox = receiver.inbox;
  let link = inbox.links.get(sender.pid);
  if (!link) {
    const made = new Channel(k.options.linkCapacity, `link from ${sender.label} to ${receiver.label}`, inbox);
    inbox.links.set(sender.pid, made);
    // Receivers waiting for a sender that exits must fail with ESRCH, and senders to a receiver that exits too.
    sender.atExit.push(() => made.arrivals.wakeup());
    receiver.atExit.push(() => made.departures.wakeup());
    link = made;
  }
  return link;
}

/** True when no thread can run now and no timer is set: a blocked call's wait cannot end by itself. */
export function nothingRuns(k: Kernel): boolean {
  return k.runQueue.threads.length === 0 && k.timers.earliest() === null;
}

/** "pid 4 waits in read()", for deadlock details. */
export function whereIs(proc: Proc): string {
  if (!proc.alive) return `${proc.label} has exited`;
  if (proc.stopped) return `${proc.label} is stopped`;
  const calls = proc.threads.map((thread) => thread.request?.call).filter((call) => call && call !== 'start');
  return calls.length > 0 ? `${proc.label} waits in ${[...new Set(calls)].map((call) => `${call}()`).join(', ')}` : `${proc.label} is running`;
}

/** The live process `pid` of the caller's host, or ESRCH. */
function processNamed(thread: Thread, pid: number, call: string): Proc {
  if (pid === 1) throw sysError('EPERM', call, 'init (pid 1) does not take part in message passing');
  const proc = thread.proc.host.procs.get(pid);
  if (!proc || proc.state === 'reaped') throw sysError('ESRCH', call, `there is no process ${pid}`);
  if (!proc.alive) throw sysError('ESRCH', call, `${proc.label} has exited`);
  return proc;
}

/** send_to(pid, data, {nowait}). */
export function sendTo(k: Kernel, thread: Thread, request: Request, pid: number, data: unknown, nowait: boolean): Outcome {
  const state = request.state as { receiver?: Proc; message?: Message };
  // A rendezvous whose message was taken has succeeded even if the receiver has exited since.
  if (!state.message?.taken) state.receiver = processNamed(thread, pid, 'send_to');
  const receiver = state.receiver!;
  const link = linkBetween(k, thread.proc, receiver);
  return link.send(thread, request, data, null, nowait, 'send_to', () => link.capacity === 0
    ? `send_to ${receiver.label} with capacity 0 waits for ${receiver.label} to receive; ${whereIs(receiver)}`
    : `the ${link.label} is full (${link.fill}) and ${receiver.label} does not receive; ${whereIs(receiver)}`);
}

/** receive_from(pid | 'any', {nowait}) → {from, data}. */
export function receiveFrom(k: Kernel, thread: Thread, pid: number | 'any', nowait: boolean): Outcome {
  const me = thread.proc;
  const inbox = me.inbox;
  if (pid === 'any') {
    let oldest: Channel | null = null;
    for (const link of inbox.links.values()) {
      if (link.queue.length > 0 && (!oldest || link.queue[0].seq < oldest.queue[0].seq)) oldest = link;
    }
    if (oldest) return delivered(oldest.take(k, thread, 0));
    if (nowait) throw sysError('EAGAIN', 'receive_from', `no message for ${me.label} has arrived and the call is non-blocking`);
    return thread.sleep(inbox.anyArrivals, () => nothingRuns(k)
      ? `no message for ${me.label} has arrived and no process that could send one is running`
      : `no message for ${me.label} has arrived yet`);
  }
  const queued = inbox.links.get(pid);
  // Messages a process sent before it exited can still be received.
  if (queued && queued.queue.length > 0) return delivered(queued.take(k, thread, 0));
  const sender = processNamed(thread, pid, 'receive_from');
  const link = linkBetween(k, sender, me);
  const got = link.receive(k, thread, nowait, 'receive_from', () =>
    `no message from ${sender.label} has arrived and ${whereIs(sender)}`);
  return got === BLOCKED ? got : delivered(got);
}

/** What a receive resolves to. */
export function delivered(message: Message): { from: number; data: unknown } {
  return { from: message.from, data: message.data };
}
