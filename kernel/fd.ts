import { sysError } from './errors';
import type { Clocked } from './hb';
import type { Kernel } from './kernel';
import type { Outcome, Request, Thread } from './thread';

/** Most descriptors one process may hold at once. */
export const MAX_FDS = 256;

/**
 * An open file description: what `dup` and `fork` share. Each kind of file
 * (pipe end, regular file, terminal, socket) says how it reads and writes.
 */
export abstract class OpenFile {
  /** fd slots, in any process, that refer to this description. */
  refs = 0;

  constructor(
    readonly readable: boolean,
    readonly writable: boolean,
    /** Opened with 'n': calls that would block fail with EAGAIN instead. */
    readonly nonblock: boolean,
  ) {}

  /** How the open-descriptor report names it: 'pipe-read', 'file', ... */
  abstract get kind(): string;

  /** The shared objects its reads and writes touch, for partial-order reduction ('*': anything). */
  channels(): (object | string)[] {
    return ['*'];
  }

  read(_k: Kernel, _t: Thread, _req: Request, _n: number): Outcome {
    throw sysError('EBADF', 'read', `this ${this.kind} cannot be read`);
  }

  write(_k: Kernel, _t: Thread, _req: Request, _data: string): Outcome {
    throw sysError('EBADF', 'write', `this ${this.kind} cannot be written`);
  }

  /** The last descriptor referring to it was closed. */
  protected released(_k: Kernel): void {}

  /** A descriptor of it is being closed by `closer`; what the closer did happens before an end of file it causes. */
  publishClose(_closer: Clocked): void {}

  retain(): void {
    this.refs++;
  }

  drop(k: Kernel): void {
    if (--this.refs === 0) this.released(k);
  }
}

/** A process's descriptor table: fd number → open file description. */
export class FdTable {
  readonly slots: (OpenFile | undefined)[] = [];

  get(fd: number): OpenFile | undefined {
    return Number.isInteger(fd) ? this.slots[fd] : undefined;
  }

  /** The description behind `fd`, or EBADF naming `call`. */
  lookup(fd: unknown, call: string): OpenFile {
    const file = typeof fd === 'number' ? this.get(fd) : undefined;
    if (!file) throw sysError('EBADF', call, `fd ${String(fd)} is not an open file descriptor`);
    return file;
  }

  /** Installs `file` at the lowest free fd (at or above `from`). */
  alloc(file: OpenFile, call: string, from = 0): number {
    let fd = from;
    while (this.slots[fd]) fd++;
    if (fd >= MAX_FDS) throw sysError('EMFILE', call, `this process already has ${MAX_FDS} open file descriptors`);
    this.install(fd, file);
    return fd;
  }

  install(fd: number, file: OpenFile): void {
    file.retain();
    this.slots[fd] = file;
  }

  close(k: Kernel, fd: number, closer: Clocked | null = null): void {
    const file = this.slots[fd];
    if (!file) return;
    this.slots[fd] = undefined;
    if (closer) file.publishClose(closer);
    file.drop(k);
  }

  /** The child's table after fork: the same descriptions, each referenced once more. */
  copy(): FdTable {
    const table = new FdTable();
    this.slots.forEach((file, fd) => file && table.install(fd, file));
    return table;
  }

  open(): [number, OpenFile][] {
    const entries: [number, OpenFile][] = [];
    this.slots.forEach((file, fd) => file && entries.push([fd, file]));
    return entries;
  }

  closeAll(k: Kernel, closer: Clocked | null = null): void {
    for (let fd = 0; fd < this.slots.length; fd++) this.close(k, fd, closer);
  }
}
