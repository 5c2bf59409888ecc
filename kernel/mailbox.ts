/**
 * Mailboxes (indirect message passing) and the Mach-style names over them:
 * a port is a mailbox, msg_rpc sends with a fresh reply port and waits on it.
 * The channel mechanism (capacity, rendezvous, copying, happens-before) is
 * message.ts's Channel; this file adds ids and names.
 */
import { sysError } from './errors';
import type { Kernel } from './kernel';
import { Channel, delivered, nothingRuns, type Message } from './message';
import { BLOCKED, type Outcome, type Request, type Thread } from './thread';

/** Processes agree on a mailbox by name; `7` and `'7'` are different names. */
export type MailboxName = number | string;

/** Capacity of the port msg_rpc makes for its reply: the replier never waits. */
const REPLY_CAPACITY = 1;

export class Mailbox extends Channel {
  constructor(
    readonly id: number,
    /** The name mailbox_open finds it by, or null (anonymous mailboxes and ports). */
    readonly name: MailboxName | null,
    capacity: number,
    kind: 'mailbox' | 'port',
  ) {
    super(capacity, `${kind} ${id}`);
  }

  /** mailbox_send, msg_send, msg_reply. */
  deliver(k: Kernel, t: Thread, request: Request, data: unknown, replyPort: number | null, nowait: boolean, call: string): Outcome {
    return this.send(t, request, data, replyPort, nowait, call, () => (this.capacity === 0
      ? `${this.label} has capacity 0: the message waits for a receiver to take it`
      : `${this.label} is full (${this.fill})`) + this.nobody(k, 'receive from'));
  }

  /** mailbox_receive → {from, data}; msg_receive → {from, data, replyPort}. */
  collect(k: Kernel, t: Thread, nowait: boolean, call: string, withReplyPort = false): Outcome {
    const got = this.receive(k, t, nowait, call, () => `${this.label} is empty` + this.nobody(k, 'send to'));
    if (got === BLOCKED) return got;
    return withReplyPort ? { ...delivered(got), replyPort: got.replyPort } : delivered(got);
  }

  /** Why nobody will come, said only when it is true: nothing can run (the deadlock report lists where each process waits). */
  private nobody(k: Kernel, act: string): string {
    return nothingRuns(k) ? ` and no process that could ${act} it is running` : '';
  }
}

/** A host's mailboxes and ports: by id, and by name for mailbox_open. */
export class MailboxTable {
  /** Destroyed ones stay so their id says EIDRM; ids are never reused. */
  private readonly byId = new Map<number, Mailbox>();
  private readonly byName = new Map<MailboxName, Mailbox>();
  private nextId = 1;

  /** mailbox_create: a new mailbox, or the live one already holding `name` (processes agree on names). */
  create(name: MailboxName | null, capacity: number, kind: 'mailbox' | 'port' = 'mailbox'): Mailbox {
    const existing = name === null ? undefined : this.byName.get(name);
    if (existing) return existing;
    const mailbox = new Mailbox(this.nextId++, name, capacity, kind);
    this.byId.set(mailbox.id, mailbox);
    if (name !== null) this.byName.set(name, mailbox);
    return mailbox;
  }

  open(name: MailboxName, call: string): Mailbox {
    const mailbox = this.byName.get(name);
    if (!mailbox) throw sysError('ENOENT', call, `there is no mailbox named ${typeof name === 'string' ? `'${name}'` : name}`);
    return mailbox;
  }

  lookup(id: number, call: string, what = 'mailbox'): Mailbox {
    const mailbox = this.byId.get(id);
    if (!mailbox) throw sysError('EINVAL', call, `there is no ${what} ${id}`);
    return mailbox;
  }

  /** mailbox_destroy: blocked senders and receivers fail with EIDRM, and the name is free again. */
  destroy(mailbox: Mailbox): void {
    if (mailbox.name !== null && this.byName.get(mailbox.name) === mailbox) this.byName.delete(mailbox.name);
    mailbox.destroy();
  }
}

/**
 * msg_rpc: make a reply port, send the request with it, wait for the reply,
 * resolve to the reply's data. The reply port is destroyed afterwards, and
 * if the call is abandoned (a signal, an error, exit).
 */
export function machRpc(k: Kernel, t: Thread, request: Request, table: MailboxTable, port: Mailbox, data: unknown): Outcome {
  const state = request.state as { reply?: Mailbox; sent?: boolean; message?: Message };
  const reply = (state.reply ??= table.create(null, REPLY_CAPACITY, 'port'));
  const abandon = (): void => {
    if (state.message) port.withdraw(state.message);
    table.destroy(reply);
  };
  request.cleanup = abandon;
  if (!state.sent) {
    const outcome = port.deliver(k, t, request, data, reply.id, false, 'msg_rpc');
    // The send may have set its own cleanup (withdraw); this one does that and more.
    request.cleanup = abandon;
    if (outcome === BLOCKED) return outcome;
    state.sent = true;
  }
  const got = reply.receive(k, t, false, 'msg_rpc', () => `msg_rpc waits for a reply on ${reply.label} to its request on ${port.label}` +
    (nothingRuns(k) ? ' and no process that could reply is running' : ''));
  if (got === BLOCKED) return got;
  request.cleanup = null;
  table.destroy(reply);
  return got.data;
}
