import { sysError } from './errors';
import { OpenFile } from './fd';
import { acquire, release, VectorClock, type Clocked } from './hb';
import type { Kernel } from './kernel';
import { sendSignal } from './signal';
import { GONE, PARTIAL, type BlockDetail, type Outcome, type Request, type Thread } from './thread';
import { WaitQueue } from './waitqueue';

/** A one-way channel of characters with a fixed capacity: the object behind pipe, FIFO and socketpair. */
export class Pipe {
  /** Characters written and not yet read, oldest first. */
  buffer = '';
  /** Open descriptions that can read from it. */
  readers = 0;
  /** Open descriptions that can write to it. */
  writers = 0;
  /** Woken when data arrives or the last writer leaves. */
  readonly readable = new WaitQueue('pipe data');
  /** Woken when space frees up or the last reader leaves. */
  readonly writable = new WaitQueue('pipe space');
  /** Writers publish to readers through it (happens-before). */
  readonly clock = new VectorClock();

  constructor(
    readonly capacity: number,
    /** Writes of at most this many characters are atomic (PIPE_BUF). */
    readonly atomicLimit: number,
    /** How reports name it: 'pipe', 'FIFO /tmp/f', 'socketpair'. */
    readonly label: string,
  ) {}

  read(k: Kernel, t: Thread, n: number, nonblock: boolean, call = 'read'): Outcome {
    if (this.buffer.length > 0) {
      const available = Math.min(n, this.buffer.length);
      const chunk = this.buffer.slice(0, k.ioCount(available, available));
      this.buffer = this.buffer.slice(chunk.length);
      acquire(t, this);
      this.writable.wakeup();
      return chunk;
    }
    if (this.writers === 0) {
      // End of file: everything the writers did before closing happens before this read.
      acquire(t, this);
      return '';
    }
    if (nonblock) throw sysError('EAGAIN', call, `the ${this.label} is empty and the call is non-blocking`);
    return t.sleep(this.readable, this.whyEmpty);
  }

  /** With no end open anywhere its data is gone, as UNIX frees the pipe: a FIFO opened again starts empty. */
  discardIfUnused(): void {
    if (this.readers === 0 && this.writers === 0) this.buffer = '';
  }

  write(k: Kernel, t: Thread, req: Request, data: string, nonblock: boolean, call = 'write'): Outcome {
    const written = req.written;
    if (this.readers === 0) {
      sendSignal(k, t.proc, 'SIGPIPE', t);
      if (!t.proc.alive) return GONE;
      if (written > 0) return written;
      throw sysError('EPIPE', call, `nobody has the read end of the ${this.label} open`);
    }
    let done = written;
    const space = this.capacity - this.buffer.length;
    // A write of at most PIPE_BUF characters goes in whole or waits; a longer one goes in pieces.
    // One that could never fit whole (a capacity set below PIPE_BUF) goes in pieces too, or it would wait forever.
    const atomic = data.length <= Math.min(this.atomicLimit, this.capacity);
    if (atomic ? space >= data.length - written : space > 0) {
      const fits = Math.min(space, data.length - written);
      // A write longer than PIPE_BUF may be split anywhere: the scheduler picks this piece's size.
      const piece = atomic ? fits : k.ioCount(fits, fits);
      this.buffer += data.slice(written, written + piece);
      release(t, this);
      this.readable.wakeup();
      done += piece;
      req.written = done;
      if (done === data.length) return done;
      if (piece < fits && !nonblock) return PARTIAL;
    }
    if (nonblock) {
      if (done > 0) return done;
      throw sysError('EAGAIN', call, `the ${this.label} is full and the call is non-blocking`);
    }
    return t.sleep(this.writable, this.whyFull);
  }

  // What a reader or writer blocked here waits for; made once per pipe, since pipes block at nearly every step.
  private readonly whyEmpty: BlockDetail = (k) =>
    `the ${this.label} is empty and its write end is still open in ${k.describeHolders((file) => file instanceof PipeEnd && file.output === this)}`;

  private readonly whyFull: BlockDetail = (k) =>
    `the ${this.label} is full (${this.buffer.length} of ${this.capacity} characters) and nobody reads it; ` +
    `its read end is open in ${k.describeHolders((file) => file instanceof PipeEnd && file.input === this)}`;
}

/** An open description on one or two pipes: a pipe's read or write end, a FIFO end, or a socketpair end. */
export class PipeEnd extends OpenFile {
  constructor(
    readonly input: Pipe | null,
    readonly output: Pipe | null,
    private readonly kindName: string,
    nonblock = false,
  ) {
    super(input !== null, output !== null, nonblock);
    if (input) input.readers++;
    if (output) output.writers++;
  }

  get kind(): string {
    return this.kindName;
  }

  channels(): object[] {
    return [this.input, this.output].filter((pipe): pipe is Pipe => pipe !== null);
  }

  read(k: Kernel, t: Thread, _req: Request, n: number): Outcome {
    return this.input!.read(k, t, n, this.nonblock);
  }

  write(k: Kernel, t: Thread, req: Request, data: string): Outcome {
    return this.output!.write(k, t, req, data, this.nonblock);
  }

  publishClose(closer: Clocked): void {
    if (this.output) release(closer, this.output);
  }

  /** Undoes this end's count on its pipes; the last writer leaving means EOF, the last reader SIGPIPE. */
  protected released(): void {
    if (this.input) {
      this.input.readers--;
      this.input.writable.wakeup();
      this.input.discardIfUnused();
    }
    if (this.output) {
      this.output.writers--;
      this.output.readable.wakeup();
      this.output.discardIfUnused();
    }
  }

  /** Closes an end that never reached a descriptor (a FIFO open that was interrupted). */
  abandon(): void {
    this.released();
  }
}
