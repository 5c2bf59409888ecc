/**
 * System V message queues (msgget, msgsnd, msgrcv, msgctl): typed messages
 * kept in arrival order on a queue that processes of one host find by key.
 * A receiver may pick by type, so this is not a plain FIFO channel.
 */
import { cloneForDelivery, traceValue } from './clone';
import { sysError } from './errors';
import { acquire, release, VectorClock } from './hb';
import type { Kernel } from './kernel';
import { nothingRuns } from './message';
import type { Outcome, Request, Thread } from './thread';
import { WaitQueue } from './waitqueue';

/** What processes agree on to find a queue; `7` and `'7'` are different keys. */
export type IpcKey = number | string;

/** One message on a queue. */
interface QueuedMessage {
  /** Positive; msgrcv selects by it. */
  readonly type: number;
  /** A copy of the sent value, made when it was sent. */
  readonly data: unknown;
  /** The sending thread's key, for the trace's arrow. */
  readonly sender: string;
  /** What the sender had done when it sent (happens-before). */
  readonly clock: VectorClock;
}

/** One queue: at most `capacity` messages, oldest first. */
export class MsgQueue {
  /** Sent and not yet received, in arrival order. */
  readonly messages: QueuedMessage[] = [];
  /** Receivers waiting for a message (of their type). */
  readonly arrivals = new WaitQueue('message queue: receivers');
  /** Senders waiting for room. */
  readonly departures = new WaitQueue('message queue: senders');
  /** msgctl(IPC_RMID) ran: blocked callers fail with EIDRM, later ones with EINVAL (as on Linux). */
  removed = false;

  constructor(
    readonly qid: number,
    readonly key: IpcKey,
    /** Messages it holds before msgsnd blocks. */
    readonly capacity: number,
  ) {}

  get label(): string {
    return `message queue ${this.qid} (key ${typeof this.key === 'string' ? `'${this.key}'` : this.key})`;
  }

  send(k: Kernel, t: Thread, request: Request, type: number, data: unknown, nowait: boolean): Outcome {
    this.check(request, 'msgsnd');
    if (this.messages.length >= this.capacity) {
      if (nowait) throw sysError('EAGAIN', 'msgsnd', `${this.label} is full (${this.capacity} messages) and the call is non-blocking`);
      request.state.waited = true;
      return t.sleep(this.departures, () => `${this.label} is full (${this.messages.length} of ${this.capacity} messages)` +
        (nothingRuns(k) ? ' and no process that could receive from it is running' : ''));
    }
    const message: QueuedMessage = { type, data: cloneForDelivery(data), sender: t.key, clock: new VectorClock() };
    release(t, message);
    this.messages.push(message);
    this.arrivals.wakeup();
    return undefined;
  }

  receive(k: Kernel, t: Thread, request: Request, type: number, nowait: boolean): Outcome {
    this.check(request, 'msgrcv');
    const index = this.select(type);
    if (index >= 0) {
      const [message] = this.messages.splice(index, 1);
      acquire(t, message);
      this.departures.wakeup();
      if (k.current) k.current.message = { from: message.sender, to: t.key, channel: `message queue ${this.qid}`, data: traceValue(message.data) };
      return { type: message.type, data: message.data };
    }
    const wanted = type === 0 ? 'no message' : type > 0 ? `no message of type ${type}` : `no message of a type up to ${-type}`;
    if (nowait) throw sysError('EAGAIN', 'msgrcv', `${this.label} has ${wanted} and the call is non-blocking`);
    request.state.waited = true;
    return t.sleep(this.arrivals, () => `${this.label} has ${wanted}` +
      (nothingRuns(k) ? ' and no process that could send one is running' : ''));
  }

  /** msgrcv's type: 0 the first message, > 0 the first of that type, < 0 the first of the lowest type <= |type|. */
  private select(type: number): number {
    if (type === 0) return this.messages.length > 0 ? 0 : -1;
    if (type > 0) return this.messages.findIndex((message) => message.type === type);
    let best = -1;
    this.messages.forEach((message, index) => {
      if (message.type <= -type && (best < 0 || message.type < this.messages[best].type)) best = index;
    });
    return best;
  }

  private check(request: Request, call: string): void {
    if (!this.removed) return;
    if (request.state.waited) throw sysError('EIDRM', call, `${this.label} was removed while this call waited on it`);
    throw sysError('EINVAL', call, `${this.label} has been removed`);
  }

  /** IPC_RMID: the queue and its messages are gone; every blocked caller wakes to fail. */
  remove(): void {
    this.removed = true;
    this.messages.length = 0;
    this.arrivals.wakeup();
    this.departures.wakeup();
  }
}

/** A host's message queues: by key for msgget, by qid for the rest. */
export class MsgQueueTable {
  private readonly byKey = new Map<IpcKey, MsgQueue>();
  /** Removed queues stay here so their qid says "removed", not "unknown"; qids are never reused. */
  private readonly byId = new Map<number, MsgQueue>();
  private nextId = 1;

  /** msgget: the queue with this key, created on first use. */
  get(key: IpcKey, capacity: number): MsgQueue {
    let queue = this.byKey.get(key);
    if (!queue) {
      queue = new MsgQueue(this.nextId++, key, capacity);
      this.byKey.set(key, queue);
      this.byId.set(queue.qid, queue);
    }
    return queue;
  }

  lookup(qid: number, call: string): MsgQueue {
    const queue = this.byId.get(qid);
    if (!queue) throw sysError('EINVAL', call, `there is no message queue ${qid}; msgget gives a queue's id`);
    return queue;
  }

  /** IPC_RMID: the key is free again, so a later msgget makes a new queue. */
  remove(queue: MsgQueue, call: string): void {
    if (queue.removed) throw sysError('EINVAL', call, `${queue.label} has already been removed`);
    this.byKey.delete(queue.key);
    queue.remove();
  }
}
