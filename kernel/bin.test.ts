import {
  PROGRAMS, LineSplitter, compareLines, compareNumeric, countText, countWords, dropLastLines, echoText,
  expandTrSet, formatCounts, formatRun, parseArgs, parseDuration, quoteAlways, quoteName, sortLines,
  splitLines, takeLines, translate, trTable, TrSetError, uniqCount, yesChunk,
  type BinSys,
} from './bin';

/** A failed call as the kernel reports it: an errno name and a sentence. */
class FakeSysError extends Error {
  constructor(readonly code: string, readonly syscall: string) {
    super(`${syscall}: failed (${code})`);
  }
}

interface FakeOptions {
  /** What fd 0 serves: a string, or a function giving the next chunk of an endless stream. */
  stdin?: string | ((n: number) => string);
  /** Regular files by path; directories are given in `dirs`. */
  files?: Record<string, string>;
  dirs?: Record<string, string[]>;
  /** stdout takes this many characters, then writes fail with EPIPE (the reader is gone, SIGPIPE ignored). */
  stdoutLimit?: number;
  /** stdout takes at most this many characters per write, as a nearly full pipe does. */
  writeSlice?: number;
}

/**
 * A test fixture for the programs' own logic: serves fd 0 from a string,
 * records fd 1 and fd 2, and keeps files in a map. The real kernel (pipes,
 * blocking, SIGPIPE) runs these programs in the kernel's own tests.
 */
class FakeSys implements BinSys {
  stdout = '';
  stderr = '';
  /** Every call in order, as 'read 0', 'write 1', 'open a.txt r', ... */
  readonly calls: string[] = [];
  readonly files: Map<string, string>;
  private readonly dirs: Map<string, string[]>;
  private stdinOffset = 0;
  private readonly open_ = new Map<number, { path: string; offset: number }>();
  private nextFd = 3;

  constructor(private readonly options: FakeOptions = {}) {
    this.files = new Map(Object.entries(options.files ?? {}));
    this.dirs = new Map(Object.entries(options.dirs ?? {}));
  }

  async read(fd: number, n: number): Promise<string> {
    this.calls.push(`read ${fd}`);
    if (fd === 0) {
      const stdin = this.options.stdin ?? '';
      if (typeof stdin === 'function') return stdin(n);
      const chunk = stdin.slice(this.stdinOffset, this.stdinOffset + n);
      this.stdinOffset += chunk.length;
      return chunk;
    }
    const file = this.open_.get(fd);
    if (!file) throw new FakeSysError('EBADF', 'read');
    const chunk = (this.files.get(file.path) ?? '').slice(file.offset, file.offset + n);
    file.offset += chunk.length;
    return chunk;
  }

  async write(fd: number, data: string): Promise<number> {
    this.calls.push(`write ${fd}`);
    if (fd === 2) {
      this.stderr += data;
      return data.length;
    }
    if (fd === 1) {
      const limit = this.options.stdoutLimit ?? Infinity;
      if (this.stdout.length >= limit) throw new FakeSysError('EPIPE', 'write');
      const taken = data.slice(0, Math.min(this.options.writeSlice ?? Infinity, limit - this.stdout.length));
      this.stdout += taken;
      return taken.length;
    }
    const file = this.open_.get(fd);
    if (!file) throw new FakeSysError('EBADF', 'write');
    this.files.set(file.path, (this.files.get(file.path) ?? '') + data);
    return data.length;
  }

  async open(path: string, flags: 'r' | 'w' | 'a'): Promise<number> {
    this.calls.push(`open ${path} ${flags}`);
    if (this.dirs.has(path)) throw new FakeSysError('EISDIR', 'open');
    if (flags === 'r' && !this.files.has(path)) throw new FakeSysError('ENOENT', 'open');
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (parent !== '' && !this.dirs.has(parent)) throw new FakeSysError('ENOENT', 'open');
    if (flags === 'w' || !this.files.has(path)) this.files.set(path, '');
    const fd = this.nextFd++;
    this.open_.set(fd, { path, offset: 0 });
    return fd;
  }

  async close(fd: number): Promise<void> {
    this.calls.push(`close ${fd}`);
    if (!this.open_.delete(fd)) throw new FakeSysError('EBADF', 'close');
  }

  async sleep(ms: number): Promise<void> {
    this.calls.push(`sleep ${ms}`);
  }

  async readdir(path: string): Promise<string[]> {
    this.calls.push(`readdir ${path}`);
    const names = this.dirs.get(path);
    if (names) return [...names];
    throw new FakeSysError(this.files.has(path) ? 'ENOTDIR' : 'ENOENT', 'readdir');
  }

  /** Descriptors the program opened and did not close. */
  get openFds(): number[] {
    return [...this.open_.keys()];
  }

  count(call: string): number {
    return this.calls.filter((c) => c === call).length;
  }
}

async function run(name: string, args: string[], options: FakeOptions = {}) {
  const sys = new FakeSys(options);
  const status = await PROGRAMS[name](sys, args);
  return { status, out: sys.stdout, err: sys.stderr, sys };
}

/** An endless stdin of `line`, like `yes` on the other end of a pipe. */
function endless(line: string): (n: number) => string {
  let offset = 0;
  return (n) => {
    const start = offset % line.length;
    offset += n;
    return line.repeat(Math.ceil((start + n) / line.length)).slice(start, start + n);
  };
}

const lines = (...ls: string[]) => ls.map((l) => l + '\n').join('');

describe('text helpers', () => {
  it('splitLines counts a last line without a newline and no empty line after a final newline', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\nb')).toEqual(['a', 'b']);
    expect(splitLines('\n')).toEqual(['']);
    expect(splitLines('')).toEqual([]);
  });

  it('LineSplitter holds a line that spans chunks until its newline arrives', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('ab')).toEqual([]);
    expect(splitter.push('c\nd\ne')).toEqual(['abc', 'd']);
    expect(splitter.push('f\n')).toEqual(['ef']);
    expect(splitter.end()).toBeNull();
    splitter.push('tail');
    expect(splitter.end()).toBe('tail');
  });

  it('parseArgs combines letters, takes values attached or separate, and permutes like GNU getopt', () => {
    const parsed = parseArgs(['file', '-rn', '-k3', 'other', '-k', '4'], 'rn', 'k');
    expect(parsed).toEqual({ flags: new Set(['r', 'n']), values: new Map([['k', '4']]), operands: ['file', 'other'] });
  });

  it("parseArgs treats '-' as an operand and everything after '--' as operands", () => {
    expect(parseArgs(['-', '--', '-v', 'x'], 'v')).toEqual({ flags: new Set(), values: new Map(), operands: ['-', '-v', 'x'] });
  });

  it('parseArgs reports an unknown letter, a missing value and a long option as GNU does', () => {
    expect(parseArgs(['-x'], 'v')).toEqual({ error: "invalid option -- 'x'" });
    expect(parseArgs(['-n'], '', 'n')).toEqual({ error: "option requires an argument -- 'n'" });
    expect(parseArgs(['--help'], '')).toEqual({ error: "unrecognized option '--help'" });
  });

  it('quoteName quotes a name only when a shell would need it; quoteAlways always does', () => {
    expect(quoteName('nope.txt')).toBe('nope.txt');
    expect(quoteName('my file')).toBe("'my file'");
    expect(quoteAlways('nope')).toBe("'nope'");
    expect(quoteAlways("it's")).toBe('"it\'s"');
  });
});

describe('echo', () => {
  it('joins its arguments with spaces and ends with a newline', () => {
    expect(echoText(['hello', 'world'])).toBe('hello world\n');
    expect(echoText([])).toBe('\n');
  });

  it('-n leaves out the newline, also repeated or combined', () => {
    expect(echoText(['-n', 'hi'])).toBe('hi');
    expect(echoText(['-n', '-n', 'hi'])).toBe('hi');
    expect(echoText(['-nE', 'hi'])).toBe('hi');
  });

  it('prints an argument that is not one of its options, and options after the first word, as text', () => {
    expect(echoText(['-x', 'hi'])).toBe('-x hi\n');
    expect(echoText(['hi', '-n'])).toBe('hi -n\n');
    expect(echoText(['-'])).toBe('-\n');
  });

  it('-e expands backslash escapes and \\c stops the output there', () => {
    expect(echoText(['-e', 'a\\tb\\nc'])).toBe('a\tb\nc\n');
    expect(echoText(['-e', '\\0101\\x42\\103\\\\'])).toBe('ABC\\\n');
    expect(echoText(['-e', 'a\\cb'])).toBe('a');
    expect(echoText(['-e', '\\q\\x'])).toBe('\\q\\x\n');
    expect(echoText(['a\\tb'])).toBe('a\\tb\n');
  });

  it('echo writes its line to fd 1 and exits 0', async () => {
    const { status, out, err } = await run('echo', ['-n', 'a', 'b']);
    expect([status, out, err]).toEqual([0, 'a b', '']);
  });
});

describe('cat', () => {
  it('copies stdin to stdout when given no file', async () => {
    const { status, out } = await run('cat', [], { stdin: 'one\ntwo' });
    expect([status, out]).toEqual([0, 'one\ntwo']);
  });

  it('concatenates its files in order, with - standing for stdin', async () => {
    const { out } = await run('cat', ['a', '-', 'b'], { stdin: 'IN\n', files: { a: 'A\n', b: 'B\n' } });
    expect(out).toBe('A\nIN\nB\n');
  });

  it('reports a missing file GNU-style, goes on with the rest and exits 1', async () => {
    const { status, out, err } = await run('cat', ['nope.txt', 'a'], { files: { a: 'A\n' } });
    expect(err).toBe('cat: nope.txt: No such file or directory\n');
    expect([status, out]).toEqual([1, 'A\n']);
  });

  it('reports a directory as one', async () => {
    const { status, err } = await run('cat', ['d'], { dirs: { d: [] } });
    expect([status, err]).toEqual([1, 'cat: d: Is a directory\n']);
  });

  it('streams: writes what it read before reading more', async () => {
    const { sys, out } = await run('cat', [], { stdin: 'x'.repeat(200) });
    expect(out).toBe('x'.repeat(200));
    expect(sys.calls.slice(0, 4)).toEqual(['read 0', 'write 1', 'read 0', 'write 1']);
  });

  it('closes the files it opened', async () => {
    const { sys } = await run('cat', ['a', 'b'], { files: { a: 'A', b: 'B' } });
    expect(sys.openFds).toEqual([]);
  });

  it('rejects an option it does not have with status 2 and a hint', async () => {
    const { status, err } = await run('cat', ['-z']);
    expect(status).toBe(2);
    expect(err).toBe("cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n");
  });
});

describe('wc', () => {
  it('wc -l counts newline characters, so a last line without one is not counted', () => {
    expect(countText('a\nb\nc').lines).toBe(2);
    expect(countText('a\nb\nc\n').lines).toBe(3);
  });

  it('counts words as runs of non-whitespace separated by spaces, tabs and newlines', () => {
    expect(countWords('  one\ttwo\n\nthree  ')).toBe(3);
    expect(countWords('')).toBe(0);
    expect(countWords(' \n ')).toBe(0);
  });

  it('formats the chosen counts in the order lines, words, characters, one space apart', () => {
    const counts = { lines: 1, words: 2, chars: 3 };
    expect(formatCounts(counts, { lines: true, words: true, chars: true })).toBe('1 2 3\n');
    expect(formatCounts(counts, { lines: false, words: true, chars: true }, 'f')).toBe('2 3 f\n');
  });

  it('with no option prints lines, words and characters of stdin, unpadded', async () => {
    const { status, out } = await run('wc', [], { stdin: 'hello world\nbye' });
    expect([status, out]).toEqual([0, '1 3 15\n']);
  });

  it('with one option prints only that number', async () => {
    const stdin = 'a b\nc\n';
    expect((await run('wc', ['-l'], { stdin })).out).toBe('2\n');
    expect((await run('wc', ['-w'], { stdin })).out).toBe('3\n');
    expect((await run('wc', ['-c'], { stdin })).out).toBe('6\n');
  });

  it('keeps the order lines, words, characters whatever order the options come in', async () => {
    expect((await run('wc', ['-c', '-l'], { stdin: 'a b\n' })).out).toBe('1 4\n');
    expect((await run('wc', ['-wl'], { stdin: 'a b\n' })).out).toBe('1 2\n');
  });

  it('appends the file name after the counts, and a total line for several files', async () => {
    const files = { a: 'x\n', b: 'y z\nw\n' };
    expect((await run('wc', ['-l', 'a'], { files })).out).toBe('1 a\n');
    expect((await run('wc', ['a', 'b'], { files })).out).toBe('1 1 2 a\n2 3 6 b\n3 4 8 total\n');
  });

  it('reports a missing file and still counts the others', async () => {
    const { status, out, err } = await run('wc', ['-l', 'nope', 'a'], { files: { a: 'x\n' } });
    expect(err).toBe('wc: nope: No such file or directory\n');
    expect([status, out]).toEqual([1, '1 a\n1 total\n']);
  });

  it('prints zeros for a directory after saying it is one, as GNU does', async () => {
    const { status, out, err } = await run('wc', ['d'], { dirs: { d: [] } });
    expect([status, out, err]).toEqual([1, '0 0 0 d\n', 'wc: d: Is a directory\n']);
  });

  it('counts an empty input as zeros', async () => {
    expect((await run('wc', [])).out).toBe('0 0 0\n');
  });
});

describe('sort', () => {
  it('orders lines by code point, as GNU sort in the C locale (capitals before lower case)', () => {
    expect(sortLines(['banana', 'Apple', 'apple', 'cherry', ''])).toEqual(['', 'Apple', 'apple', 'banana', 'cherry']);
  });

  it('puts a line before the longer lines it is a prefix of', () => {
    expect(compareLines('ab', 'abc')).toBeLessThan(0);
    expect(compareLines('abc', 'abc')).toBe(0);
  });

  it('puts characters beyond U+FFFF after every other character, like UTF-8 byte order', () => {
    expect(compareLines('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect(compareLines('\u{1F600}', '\u{1F601}')).toBeLessThan(0);
  });

  it('-r reverses the order', () => {
    expect(sortLines(['b', 'a', 'c'], { reverse: true })).toEqual(['c', 'b', 'a']);
  });

  it('-n compares the leading numbers, with negatives and fractions', () => {
    expect(sortLines(['10', '9', '-2', '1.5', '100', '-10', '0.25'], { numeric: true }))
      .toEqual(['-10', '-2', '0.25', '1.5', '9', '10', '100']);
  });

  it('-n reads leading blanks and ignores what follows the number', () => {
    expect(sortLines(['  20 apples', '3 pears', '\t7'], { numeric: true })).toEqual(['3 pears', '\t7', '  20 apples']);
  });

  it('-n counts a line without a number as zero and breaks ties by the whole line', () => {
    expect(sortLines(['b', '1', '-1', 'a', '0', '+5'], { numeric: true })).toEqual(['-1', '+5', '0', 'a', 'b', '1']);
  });

  it('-n compares numbers longer than a double holds exactly', () => {
    expect(compareNumeric('123456789012345678901', '123456789012345678902')).toBeLessThan(0);
    expect(compareNumeric('007', '7.000')).toBe(0);
    expect(compareNumeric('-0', '0')).toBe(0);
  });

  it('-rn reverses the numeric order and the tie-break too', () => {
    expect(sortLines(['2', '10', 'b', 'a'], { numeric: true, reverse: true })).toEqual(['10', '2', 'b', 'a']);
  });

  it('sorts stdin and ends every line, the last too, with a newline', async () => {
    const { status, out } = await run('sort', [], { stdin: 'c\na\nb' });
    expect([status, out]).toEqual([0, 'a\nb\nc\n']);
  });

  it('takes -r and -n together or apart', async () => {
    const stdin = lines('5', '30', '4');
    expect((await run('sort', ['-rn'], { stdin })).out).toBe(lines('30', '5', '4'));
    expect((await run('sort', ['-n', '-r'], { stdin })).out).toBe(lines('30', '5', '4'));
    expect((await run('sort', ['-r'], { stdin })).out).toBe(lines('5', '4', '30'));
  });

  it('sorts the lines of all its files together', async () => {
    const { out } = await run('sort', ['a', 'b'], { files: { a: 'z\nb', b: 'a\n' } });
    expect(out).toBe(lines('a', 'b', 'z'));
  });

  it('stops with status 2 on a file it cannot read, as GNU sort does', async () => {
    const { status, out, err } = await run('sort', ['nope'], {});
    expect([status, out, err]).toEqual([2, '', 'sort: cannot read: nope: No such file or directory\n']);
  });

  it('writes a long output in writes of at most 64 characters', async () => {
    const stdin = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const sys = new FakeSys({ stdin });
    const writes: number[] = [];
    const write = sys.write.bind(sys);
    sys.write = (fd, data) => {
      writes.push(data.length);
      return write(fd, data);
    };
    await PROGRAMS.sort(sys, []);
    expect(sys.stdout.split('\n')).toHaveLength(101);
    expect(Math.max(...writes)).toBeLessThanOrEqual(64);
    expect(writes.length).toBeLessThan(sys.stdout.length / 32);
  });
});

describe('uniq', () => {
  it('collapses only adjacent equal lines', () => {
    expect(uniqCount(['a', 'a', 'b', 'a'])).toEqual([
      { count: 2, line: 'a' }, { count: 1, line: 'b' }, { count: 1, line: 'a' },
    ]);
    expect(uniqCount([])).toEqual([]);
  });

  it('-c formats COUNT LINE with one space and no padding', () => {
    expect(formatRun({ count: 12, line: 'x y' }, true)).toBe('12 x y\n');
    expect(formatRun({ count: 12, line: 'x y' }, false)).toBe('x y\n');
  });

  it('drops repeated adjacent lines of stdin', async () => {
    const { status, out } = await run('uniq', [], { stdin: lines('a', 'a', 'b', 'b', 'a') });
    expect([status, out]).toEqual([0, lines('a', 'b', 'a')]);
  });

  it('-c prefixes each line with how many times it repeated', async () => {
    const { out } = await run('uniq', ['-c'], { stdin: lines('x', 'x', 'x', 'y') });
    expect(out).toBe(lines('3 x', '1 y'));
  });

  it('treats a last line without a newline like the others, and ends it with one', async () => {
    expect((await run('uniq', [], { stdin: 'a\na' })).out).toBe('a\n');
    expect((await run('uniq', [], { stdin: 'a\nb' })).out).toBe('a\nb\n');
  });

  it('finds runs that cross read chunks', async () => {
    const long = 'z'.repeat(100);
    expect((await run('uniq', ['-c'], { stdin: lines(long, long) })).out).toBe(`2 ${long}\n`);
  });

  it('reads INPUT and writes OUTPUT when given them', async () => {
    const { sys, out } = await run('uniq', ['in', 'out'], { files: { in: 'q\nq\n' } });
    expect(out).toBe('');
    expect(sys.files.get('out')).toBe('q\n');
    expect(sys.openFds).toEqual([]);
  });

  it('reports a missing INPUT and exits 1', async () => {
    const { status, err } = await run('uniq', ['nope']);
    expect([status, err]).toEqual([1, 'uniq: nope: No such file or directory\n']);
  });
});

describe('grep', () => {
  const stdin = lines('apple pie', 'banana', 'cherry pie', 'date');

  it('prints the lines the JavaScript regular expression matches and exits 0', async () => {
    const { status, out } = await run('grep', ['pie$'], { stdin });
    expect([status, out]).toEqual([0, lines('apple pie', 'cherry pie')]);
  });

  it('-v prints the lines that do not match', async () => {
    expect((await run('grep', ['-v', 'pie'], { stdin })).out).toBe(lines('banana', 'date'));
    expect((await run('grep', ['pie', '-v'], { stdin })).out).toBe(lines('banana', 'date'));
  });

  it('uses JavaScript syntax such as \\d and alternation', async () => {
    expect((await run('grep', ['^\\d+$|^x'], { stdin: lines('12', 'a1', 'xy') })).out).toBe(lines('12', 'xy'));
  });

  it('exits 1 when no line matches', async () => {
    const { status, out } = await run('grep', ['zzz'], { stdin });
    expect([status, out]).toEqual([1, '']);
  });

  it('matches a last line without a newline and ends it with one', async () => {
    expect((await run('grep', ['b'], { stdin: 'a\nb' })).out).toBe('b\n');
  });

  it('exits 2 on a pattern that is not a valid regular expression', async () => {
    const { status, err } = await run('grep', ['('], { stdin });
    expect(status).toBe(2);
    expect(err).toMatch(/^grep: Invalid regular expression/);
  });

  it('exits 2 with a usage line when given no pattern', async () => {
    const { status, err } = await run('grep', []);
    expect([status, err]).toEqual([2, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"]);
  });

  it('prefixes each line with its file name when searching several files', async () => {
    const { out } = await run('grep', ['1', 'a', 'b'], { files: { a: 'x1\ny\n', b: 'z1\n' } });
    expect(out).toBe(lines('a:x1', 'b:z1'));
  });

  it('exits 2 on a missing file even when another file matched, as GNU grep does', async () => {
    const { status, out, err } = await run('grep', ['1', 'nope', 'a'], { files: { a: '1\n' } });
    expect([status, out, err]).toEqual([2, 'a:1\n', 'grep: nope: No such file or directory\n']);
  });

  it('streams: writes the matches of one chunk before reading the next', async () => {
    const { sys } = await run('grep', ['x'], { stdin: lines('x'.repeat(70), 'x'.repeat(70)) });
    const firstWrite = sys.calls.indexOf('write 1');
    expect(sys.calls.slice(0, firstWrite).filter((c) => c === 'read 0')).toHaveLength(2);
  });
});

describe('head', () => {
  const twelve = Array.from({ length: 12 }, (_, i) => `${i + 1}\n`).join('');

  it('takeLines keeps the text up to the nth newline, or all of it', () => {
    expect(takeLines('a\nb\nc\n', 2)).toEqual({ taken: 'a\nb\n', lines: 2 });
    expect(takeLines('a\nb', 5)).toEqual({ taken: 'a\nb', lines: 1 });
    expect(takeLines('a\n', 0)).toEqual({ taken: '', lines: 0 });
  });

  it('dropLastLines leaves out the last k lines, counting a last line without a newline', () => {
    expect(dropLastLines('a\nb\nc\n', 1)).toBe('a\nb\n');
    expect(dropLastLines('a\nb\nc', 1)).toBe('a\nb\n');
    expect(dropLastLines('a\nb\n', 5)).toBe('');
    expect(dropLastLines('a\n', 0)).toBe('a\n');
  });

  it('prints the first 10 lines by default', async () => {
    const { status, out } = await run('head', [], { stdin: twelve });
    expect([status, out]).toEqual([0, twelve.split('\n').slice(0, 10).join('\n') + '\n']);
  });

  it('-n N, -nN and -N print the first N lines', async () => {
    for (const args of [['-n', '3'], ['-n3'], ['-3']]) {
      expect((await run('head', args, { stdin: twelve })).out).toBe('1\n2\n3\n');
    }
  });

  it('stops reading once it has its lines, so `yes | head -n 3` ends', async () => {
    const { status, out, sys } = await run('head', ['-n', '3'], { stdin: endless('y\n') });
    expect([status, out]).toEqual([0, 'y\ny\ny\n']);
    expect(sys.count('read 0')).toBe(1);
  });

  it('reads only as many chunks as the lines need when they are long', async () => {
    const { out, sys } = await run('head', ['-n', '2'], { stdin: endless('z'.repeat(99) + '\n') });
    expect(out).toBe(('z'.repeat(99) + '\n').repeat(2));
    expect(sys.count('read 0')).toBe(4);
  });

  it('-n 0 reads nothing', async () => {
    const { out, sys } = await run('head', ['-n', '0'], { stdin: endless('y\n') });
    expect(out).toBe('');
    expect(sys.count('read 0')).toBe(0);
  });

  it('-n -K prints all but the last K lines', async () => {
    expect((await run('head', ['-n', '-10'], { stdin: twelve })).out).toBe('1\n2\n');
  });

  it('keeps a last line without a newline as it is', async () => {
    expect((await run('head', [], { stdin: 'a\nb' })).out).toBe('a\nb');
  });

  it('puts a ==> name <== header before each of several files', async () => {
    const { out } = await run('head', ['-n', '1', 'a', 'b'], { files: { a: 'A\nx\n', b: 'B\n' } });
    expect(out).toBe('==> a <==\nA\n\n==> b <==\nB\n');
  });

  it('exits 2 on a count that is not a number', async () => {
    const { status, err } = await run('head', ['-n', 'x']);
    expect([status, err]).toEqual([2, "head: invalid number of lines: 'x'\n"]);
  });

  it('reports a file it cannot open GNU-style and exits 1', async () => {
    const { status, err } = await run('head', ['nope']);
    expect([status, err]).toEqual([1, "head: cannot open 'nope' for reading: No such file or directory\n"]);
  });
});

describe('tr', () => {
  it('expands ranges and backslash escapes in a set', () => {
    expect(expandTrSet('a-e').join('')).toBe('abcde');
    expect(expandTrSet('0-2x\\n\\t\\\\').join('')).toBe('012x\n\t\\');
    expect(expandTrSet('\\101').join('')).toBe('A');
  });

  it('takes a - at either end of a set as itself', () => {
    expect(expandTrSet('-a-c-').join('')).toBe('-abc-');
    expect(expandTrSet('a\\-c').join('')).toBe('a-c');
  });

  it('expands character classes in ascending order', () => {
    expect(expandTrSet('[:digit:]').join('')).toBe('0123456789');
    expect(expandTrSet('[:upper:]')).toHaveLength(26);
    expect(expandTrSet('[:space:]').join('')).toBe('\t\n\v\f\r ');
    expect(expandTrSet('[a]').join('')).toBe('[a]');
  });

  it('refuses a range whose ends are reversed and an unknown class', () => {
    expect(() => expandTrSet('z-a')).toThrow(new TrSetError("range-endpoints of 'z-a' are in reverse collating sequence order"));
    expect(() => expandTrSet('[:nope:]')).toThrow("invalid character class 'nope'");
    expect(() => expandTrSet('[:constructor:]')).toThrow("invalid character class 'constructor'");
  });

  it('pads SET2 with its last character', () => {
    expect(translate('abcd', trTable('a-d', 'xy'))).toBe('xyyy');
  });

  it('lets the last occurrence of a character in SET1 win, as GNU tr does', () => {
    expect(translate('a', trTable('aa', 'xy'))).toBe('y');
  });

  it('refuses an empty SET2 and classes other than upper and lower in SET2', () => {
    expect(() => trTable('a', '')).toThrow('string2 must be non-empty');
    expect(() => trTable('a', '[:digit:]')).toThrow('only character classes');
  });

  it('translates stdin to stdout', async () => {
    const { status, out } = await run('tr', ['a-z', 'A-Z'], { stdin: 'Hello, world\n' });
    expect([status, out]).toEqual([0, 'HELLO, WORLD\n']);
  });

  it('maps [:upper:] onto [:lower:]', async () => {
    expect((await run('tr', ['[:upper:]', '[:lower:]'], { stdin: 'ABC def' })).out).toBe('abc def');
  });

  it('turns spaces into newlines', async () => {
    expect((await run('tr', [' ', '\\n'], { stdin: 'a b c' })).out).toBe('a\nb\nc');
  });

  it('streams: writes each chunk translated before reading the next', async () => {
    const { sys } = await run('tr', ['x', 'y'], { stdin: 'x'.repeat(100) });
    expect(sys.calls.slice(0, 3)).toEqual(['read 0', 'write 1', 'read 0']);
  });

  it('exits 2 when it is not given two sets', async () => {
    expect(await run('tr', [])).toMatchObject({ status: 2, err: "tr: missing operand\nTry 'tr --help' for more information.\n" });
    expect((await run('tr', ['a'])).err).toBe(
      "tr: missing operand after 'a'\nTwo strings must be given when translating.\nTry 'tr --help' for more information.\n");
    expect((await run('tr', ['a', 'b', 'c'])).status).toBe(2);
  });

  it('exits 2 on a reversed range', async () => {
    const { status, err } = await run('tr', ['z-a', 'x']);
    expect([status, err]).toEqual([2, "tr: range-endpoints of 'z-a' are in reverse collating sequence order\n"]);
  });
});

describe('ls', () => {
  const dirs = { '.': ['b.txt', 'a.txt', '.hidden', 'C'], '/tmp': [], sub: ['z'] };

  it('lists the working directory sorted, one name per line, without dot files', async () => {
    const { status, out } = await run('ls', [], { dirs });
    expect([status, out]).toEqual([0, lines('C', 'a.txt', 'b.txt')]);
  });

  it('lists the directory it is given', async () => {
    expect((await run('ls', ['sub'], { dirs })).out).toBe('z\n');
    expect((await run('ls', ['/tmp'], { dirs })).out).toBe('');
  });

  it('prints a file operand as its name', async () => {
    expect((await run('ls', ['f'], { dirs, files: { f: '' } })).out).toBe('f\n');
  });

  it('reports a name that does not exist and exits 2, as GNU ls does', async () => {
    const { status, err } = await run('ls', ['nope'], { dirs });
    expect([status, err]).toEqual([2, "ls: cannot access 'nope': No such file or directory\n"]);
  });

  it('puts files first, then each directory under a NAME: header', async () => {
    const { out } = await run('ls', ['sub', 'f', '.'], { dirs, files: { f: '' } });
    expect(out).toBe('f\n\n.:\nC\na.txt\nb.txt\n\nsub:\nz\n');
  });
});

describe('tee', () => {
  it('copies stdin to stdout and to the file', async () => {
    const { status, out, sys } = await run('tee', ['copy'], { stdin: 'data\n', files: { copy: 'old' } });
    expect([status, out, sys.files.get('copy')]).toEqual([0, 'data\n', 'data\n']);
    expect(sys.openFds).toEqual([]);
  });

  it('reports a file it cannot create, copies to stdout anyway and exits 1', async () => {
    const { status, out, err } = await run('tee', ['/nope/x'], { stdin: 'data\n' });
    expect([status, out, err]).toEqual([1, 'data\n', 'tee: /nope/x: No such file or directory\n']);
  });

  it('keeps writing to its file after stdout fails', async () => {
    const { status, err, sys } = await run('tee', ['f'], { stdin: 'x'.repeat(100), stdoutLimit: 0 });
    expect([status, err, sys.files.get('f')]).toEqual([1, "tee: 'standard output': Broken pipe\n", 'x'.repeat(100)]);
  });
});

describe('yes', () => {
  it('yesChunk repeats whole lines of its words to about one pipe of 64 characters', () => {
    expect(yesChunk([])).toBe('y\n'.repeat(32));
    expect(yesChunk(['hi', 'there'])).toBe('hi there\n'.repeat(7));
    expect(yesChunk(['x'.repeat(100)])).toBe('x'.repeat(100) + '\n');
  });

  it('writes y lines until a write fails, then says so and exits 1', async () => {
    const { status, out, err, sys } = await run('yes', [], { stdoutLimit: 1000 });
    expect(out).toBe('y\n'.repeat(500));
    expect([status, err]).toEqual([1, 'yes: write error: Broken pipe\n']);
    expect(sys.count('write 1')).toBeLessThan(20);
  });

  it('repeats its words', async () => {
    expect((await run('yes', ['ok', 'go'], { stdoutLimit: 12 })).out).toBe('ok go\nok go\n');
  });
});

describe('true, false and sleep', () => {
  it('true exits 0 and false exits 1, ignoring arguments and printing nothing', async () => {
    expect(await run('true', ['x'])).toMatchObject({ status: 0, out: '', err: '' });
    expect(await run('false', ['x'])).toMatchObject({ status: 1, out: '', err: '' });
  });

  it('sleep N sleeps N seconds of simulated time', async () => {
    expect((await run('sleep', ['2'])).sys.calls).toEqual(['sleep 2000']);
    expect((await run('sleep', ['0.5'])).sys.calls).toEqual(['sleep 500']);
    expect((await run('sleep', ['1m', '1'])).sys.calls).toEqual(['sleep 61000']);
  });

  it('parseDuration sums its operands and names an invalid one', () => {
    expect(parseDuration(['1.5', '.5s', '1h'])).toEqual({ seconds: 3602 });
    expect(parseDuration(['1', 'abc'])).toEqual({ invalid: 'abc' });
  });

  it('sleep exits 2 without an operand or with one that is not a time', async () => {
    expect(await run('sleep', [])).toMatchObject({ status: 2, err: "sleep: missing operand\nTry 'sleep --help' for more information.\n" });
    expect((await run('sleep', ['abc'])).err).toBe("sleep: invalid time interval 'abc'\nTry 'sleep --help' for more information.\n");
  });
});

describe('writing and failing', () => {
  it('completes output when the pipe takes only part of a write', async () => {
    const stdin = 'abcdefghij'.repeat(20);
    const { out, sys } = await run('cat', [], { stdin, writeSlice: 7 });
    expect(out).toBe(stdin);
    expect(sys.count('write 1')).toBe(Math.ceil(64 / 7) * 3 + Math.ceil(8 / 7));
  });

  it('reports a failed write to stdout (EPIPE with SIGPIPE ignored) and exits 1', async () => {
    const { status, err } = await run('cat', [], { stdin: 'x'.repeat(200), stdoutLimit: 64 });
    expect([status, err]).toEqual([1, 'cat: write error: Broken pipe\n']);
  });

  it('reports a failed read of stdin', async () => {
    const sys = new FakeSys();
    sys.read = async () => {
      throw new FakeSysError('EBADF', 'read');
    };
    expect(await PROGRAMS.cat(sys, [])).toBe(1);
    expect(sys.stderr).toBe('cat: -: Bad file descriptor\n');
  });

  it('lets an error that is not a sys error through instead of reporting it', async () => {
    const sys = new FakeSys();
    sys.read = async () => {
      throw new Error('process killed');
    };
    await expect(PROGRAMS.cat(sys, [])).rejects.toThrow('process killed');
    await expect(PROGRAMS.wc(sys, [])).rejects.toThrow('process killed');
  });

  it('has exactly the programs the spec lists', () => {
    expect(Object.keys(PROGRAMS).sort()).toEqual(
      ['cat', 'echo', 'false', 'grep', 'head', 'ls', 'sleep', 'sort', 'tee', 'tr', 'true', 'uniq', 'wc', 'yes']);
  });
});
