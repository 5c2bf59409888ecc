import { sysError } from './errors';
import { OpenFile } from './fd';
import type { Kernel } from './kernel';
import { Pipe, PipeEnd } from './pipe';
import type { Socket } from './socket';
import type { Outcome, Request, Thread } from './thread';
import { WaitQueue } from './waitqueue';

export interface FileNode { type: 'file'; data: string }
export interface DirNode { type: 'dir'; entries: Map<string, Inode>; writable: boolean }
export interface ProgramNode { type: 'program'; name: string }
export interface FifoNode {
  type: 'fifo';
  path: string;
  pipe: Pipe;
  /** Opens for reading ever begun: a blocked writer's open completes once this moves. */
  readOpens: number;
  /** Opens for writing ever begun. */
  writeOpens: number;
  /** Woken whenever an end is opened. */
  readonly opened: WaitQueue;
}
/** A unix-domain socket's name, made by bind; it outlives the socket until unlinked, as in UNIX. */
export interface SocketNode { type: 'socket'; path: string; socket: Socket }
export type Inode = FileNode | DirNode | ProgramNode | FifoNode | SocketNode;

export type OpenMode = { read: boolean; write: boolean; create: boolean; truncate: boolean; append: boolean; nonblock: boolean };

/** Decodes open's flags: 'r', 'w', 'a' or 'rw', with 'n' added for non-blocking. */
export function parseFlags(flags: unknown): OpenMode | null {
  const match = typeof flags === 'string' ? /^(rw|r|w|a)(n?)$/.exec(flags) : null;
  if (!match) return null;
  const mode = match[1];
  return {
    read: mode === 'r' || mode === 'rw',
    write: mode !== 'r',
    create: mode !== 'r',
    truncate: mode === 'w',
    append: mode === 'a',
    nonblock: match[2] === 'n',
  };
}

/** /bin never changes (it is not writable), so every host of every run shares one. */
const binDirectories = new WeakMap<readonly string[], DirNode>();

function binDirectory(programs: readonly string[]): DirNode {
  let bin = binDirectories.get(programs);
  if (!bin) {
    bin = { type: 'dir', entries: new Map(programs.map((name) => [name, { type: 'program', name }])), writable: false };
    binDirectories.set(programs, bin);
  }
  return bin;
}

/** The in-memory file system of one host: /bin, a writable /tmp, and /home with the exercise's files. */
export class FileSystem {
  readonly root: DirNode = { type: 'dir', entries: new Map(), writable: false };

  constructor(files: Readonly<Record<string, string>>, programs: readonly string[]) {
    this.root.entries.set('bin', binDirectory(programs));
    this.mkdir(this.root, 'tmp', true);
    this.mkdir(this.root, 'home', true);
    for (const [path, data] of Object.entries(files)) {
      const parts = FileSystem.split(path);
      let dir = this.root;
      for (const part of parts.slice(0, -1)) {
        const next = dir.entries.get(part);
        dir = next?.type === 'dir' ? next : this.mkdir(dir, part, true);
      }
      dir.entries.set(parts[parts.length - 1], { type: 'file', data });
    }
  }

  private mkdir(parent: DirNode, name: string, writable: boolean): DirNode {
    const dir: DirNode = { type: 'dir', entries: new Map(), writable };
    parent.entries.set(name, dir);
    return dir;
  }

  /** Path components from the root; relative paths start at /home. */
  static split(path: string): string[] {
    const parts: string[] = path.startsWith('/') ? [] : ['home'];
    for (const part of path.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') parts.pop();
      else parts.push(part);
    }
    return parts;
  }

  static absolute(path: string): string {
    return '/' + FileSystem.split(path).join('/');
  }

  lookup(path: string): Inode | undefined {
    let node: Inode = this.root;
    for (const part of FileSystem.split(path)) {
      if (node.type !== 'dir') return undefined;
      const next: Inode | undefined = node.entries.get(part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  /** The directory that holds `path`'s last component, and that component. */
  parent(path: string, call: string): { dir: DirNode; name: string } {
    const parts = FileSystem.split(path);
    const name = parts.pop();
    const dir = this.lookup('/' + parts.join('/'));
    if (name === undefined) throw sysError('EISDIR', call, `'${path}' is the root directory`);
    if (!dir) throw sysError('ENOENT', call, `the directory of '${path}' does not exist`);
    if (dir.type !== 'dir') throw sysError('ENOTDIR', call, `a component of '${path}' is not a directory`);
    return { dir, name };
  }

  /** Adds a new entry where only /home and /tmp (and below) may change. */
  create(path: string, node: Inode, call: string): void {
    const { dir, name } = this.parent(path, call);
    if (dir.entries.has(name)) throw sysError('EEXIST', call, `'${path}' already exists`);
    if (!dir.writable) throw sysError('EACCES', call, `'${FileSystem.absolute(path)}' is not in a writable directory (use /home or /tmp)`);
    dir.entries.set(name, node);
  }

  unlink(path: string, call: string): void {
    const { dir, name } = this.parent(path, call);
    const node = dir.entries.get(name);
    if (!node) throw sysError('ENOENT', call, `'${path}' does not exist`);
    if (node.type === 'dir') throw sysError('EISDIR', call, `'${path}' is a directory`);
    if (!dir.writable) throw sysError('EACCES', call, `'${FileSystem.absolute(path)}' cannot be removed`);
    dir.entries.delete(name);
  }

  readdir(path: string, call: string): string[] {
    const node = this.lookup(path);
    if (!node) throw sysError('ENOENT', call, `'${path}' does not exist`);
    if (node.type !== 'dir') throw sysError('ENOTDIR', call, `'${path}' is not a directory`);
    return [...node.entries.keys()].sort();
  }
}

/** An open regular file (or a program in /bin, read-only): reads and writes at a shared offset. */
export class FileHandle extends OpenFile {
  /** Next character to read or write. */
  private offset = 0;

  constructor(private readonly node: FileNode | ProgramNode, readable: boolean, writable: boolean, private readonly append: boolean) {
    super(readable, writable, false);
  }

  get kind(): string {
    return 'file';
  }

  channels(): object[] {
    return [this.node];
  }

  private get data(): string {
    return this.node.type === 'file' ? this.node.data : `simulated program /bin/${this.node.name}\n`;
  }

  read(_k: Kernel, _t: Thread, _req: Request, n: number): string {
    if (!this.readable) return super.read(_k, _t, _req, n) as string;
    const chunk = this.data.slice(this.offset, this.offset + n);
    this.offset += chunk.length;
    return chunk;
  }

  write(_k: Kernel, _t: Thread, _req: Request, data: string): number {
    if (!this.writable || this.node.type !== 'file') return super.write(_k, _t, _req, data) as number;
    const file = this.node;
    if (this.append) this.offset = file.data.length;
    file.data = file.data.slice(0, this.offset).padEnd(this.offset, '\0') + data + file.data.slice(this.offset + data.length);
    this.offset += data.length;
    return data.length;
  }
}

/** open(): files are created or truncated as the flags say; FIFOs wait for their other side. */
export function openPath(k: Kernel, t: Thread, req: Request, path: string, mode: OpenMode): Outcome {
  const fs = t.proc.host.fs;
  const pending = req.state.fifoEnd as PipeEnd | undefined;
  // A retry waits on the FIFO it began with: the path may have been unlinked or reused meanwhile.
  if (pending) return awaitFifoPeer(k, t, req, req.state.fifo as FifoNode, pending, mode);
  let node = fs.lookup(path);
  if (!node) {
    if (!mode.create) throw sysError('ENOENT', 'open', `'${path}' does not exist`);
    node = { type: 'file', data: '' };
    fs.create(path, node, 'open');
  }
  switch (node.type) {
    case 'dir':
      throw sysError('EISDIR', 'open', `'${path}' is a directory`);
    case 'program':
      if (mode.write) throw sysError('EACCES', 'open', `'${path}' is a program and cannot be written`);
      return t.proc.fds.alloc(new FileHandle(node, true, false, false), 'open');
    case 'file':
      if (mode.truncate) node.data = '';
      return t.proc.fds.alloc(new FileHandle(node, mode.read, mode.write, mode.append), 'open');
    case 'fifo':
      return openFifo(k, t, req, node, mode);
    case 'socket':
      throw sysError('ENXIO', 'open', `'${path}' is a unix socket: use socket() and connect() to reach it`);
  }
}

function openFifo(k: Kernel, t: Thread, req: Request, fifo: FifoNode, mode: OpenMode): Outcome {
  const both = mode.read && mode.write;
  if (mode.write && !both && mode.nonblock && fifo.pipe.readers === 0) {
    throw sysError('ENXIO', 'open', `no process has FIFO ${fifo.path} open for reading`);
  }
  const end = new PipeEnd(mode.read ? fifo.pipe : null, mode.write ? fifo.pipe : null,
    both ? 'fifo' : mode.read ? 'fifo-read' : 'fifo-write', mode.nonblock);
  if (mode.read) fifo.readOpens++;
  if (mode.write) fifo.writeOpens++;
  fifo.opened.wakeup();
  if (both || mode.nonblock) return t.proc.fds.alloc(end, 'open');
  req.state.fifoEnd = end;
  req.state.fifo = fifo;
  req.state.peerOpens = mode.read ? fifo.writeOpens : fifo.readOpens;
  req.cleanup = () => end.abandon();
  return awaitFifoPeer(k, t, req, fifo, end, mode);
}

/** Blocks an open of one end until the other end has been opened (now or since we began). */
function awaitFifoPeer(_k: Kernel, t: Thread, req: Request, fifo: FifoNode, end: PipeEnd, mode: OpenMode): Outcome {
  const peers = mode.read ? fifo.pipe.writers : fifo.pipe.readers;
  const peerOpens = mode.read ? fifo.writeOpens : fifo.readOpens;
  if (peers > 0 || peerOpens > (req.state.peerOpens as number)) {
    req.cleanup = null;
    return t.proc.fds.alloc(end, 'open');
  }
  const other = mode.read ? 'writing' : 'reading';
  return t.sleep(fifo.opened, () => `opening FIFO ${fifo.path} for ${mode.read ? 'reading' : 'writing'}: no process has opened it for ${other}`);
}

/** mkfifo(): a named pipe other processes can open by path. */
export function makeFifo(k: Kernel, fs: FileSystem, path: string): void {
  const absolute = FileSystem.absolute(path);
  fs.create(path, {
    type: 'fifo', path: absolute, readOpens: 0, writeOpens: 0,
    pipe: new Pipe(k.options.pipeCapacity, k.options.pipeBuf, `FIFO ${absolute}`),
    opened: new WaitQueue('fifo open'),
  }, 'mkfifo');
}
