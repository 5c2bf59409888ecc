/**
 * The programs in /bin, run by the kernel as the body of a process after exec.
 * Each behaves like its GNU coreutils namesake on the options a pipeline
 * exercise uses. Text processing is in small pure functions (exported for
 * tests); the programs below them only read, call those, and write.
 *
 * Conventions, as in GNU: read stdin (fd 0) when given no file ('-' also
 * names stdin), write results to fd 1 and `NAME: message` lines to fd 2,
 * sort in the C locale (by code point). Exit status 0 on success, 1 on an
 * error, 2 on bad usage; grep, sort and ls use 2 for errors too, as GNU does.
 */

/** The calls a /bin program uses; the kernel passes its ordinary `sys` facade. */
export interface BinSys {
  read(fd: number, n: number): Promise<string>;
  write(fd: number, data: string): Promise<number>;
  open(path: string, flags: 'r' | 'w' | 'a'): Promise<number>;
  close(fd: number): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** Entry names of a directory (an extra kernel call). */
  readdir(path: string): Promise<string[]>;
}

/** The body of a process running a /bin program; resolves to its exit status. */
export type BinProgram = (sys: BinSys, args: string[]) => Promise<number>;

/** Characters asked of one read and given to one write: a default pipe's worth. */
const CHUNK = 64;

// ---------------------------------------------------------------------------
// Pure text processing

/** Cuts a stream of chunks into lines, holding an unfinished line until its '\n' arrives. */
export class LineSplitter {
  /** The start of a line whose '\n' has not arrived yet. */
  private partial = '';

  /** The lines this chunk completes, without their '\n'. */
  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() as string;
    return parts;
  }

  /** At end of input: the last line if it had no '\n' (GNU still treats it as a line), else null. */
  end(): string | null {
    const rest = this.partial;
    this.partial = '';
    return rest === '' ? null : rest;
  }
}

/** The lines of a whole text; a final line without '\n' counts, a final '\n' does not start one. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Options and operands, as GNU getopt sees them. */
export interface ParsedArgs {
  /** Option letters given (a letter that takes a value is in `values` instead). */
  flags: Set<string>;
  /** Value of each value-taking option; the last one given wins. */
  values: Map<string, string>;
  operands: string[];
}

/**
 * getopt with GNU argument permutation: options may come after operands,
 * letters combine (`-rn`), a value may be attached (`-n3`) or follow (`-n 3`),
 * `--` ends options and a lone `-` is an operand (stdin).
 * `flags` lists the letters that take no value, `valued` those that take one.
 */
export function parseArgs(args: readonly string[], flags: string, valued = ''): ParsedArgs | { error: string } {
  const parsed: ParsedArgs = { flags: new Set(), values: new Map(), operands: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      parsed.operands.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      parsed.operands.push(arg);
      continue;
    }
    if (arg.startsWith('--')) return { error: `unrecognized option '${arg}'` };
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j];
      if (flags.includes(letter)) {
        parsed.flags.add(letter);
      } else if (valued.includes(letter)) {
        const attached = arg.slice(j + 1);
        if (attached === '' && i + 1 >= args.length) return { error: `option requires an argument -- '${letter}'` };
        parsed.values.set(letter, attached !== '' ? attached : args[++i]);
        break;
      } else {
        return { error: `invalid option -- '${letter}'` };
      }
    }
  }
  return parsed;
}

/** What `echo ARGS` prints: leading -n, -e, -E options (also combined, like -ne) as GNU echo reads them. */
export function echoText(args: readonly string[]): string {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length && /^-[neE]+$/.test(args[i]); i++) {
    for (const letter of args[i].slice(1)) {
      if (letter === 'n') newline = false;
      else escapes = letter === 'e';
    }
  }
  const text = args.slice(i).join(' ');
  if (!escapes) return newline ? text + '\n' : text;
  const { expanded, stopped } = expandEchoEscapes(text);
  return newline && !stopped ? expanded + '\n' : expanded;
}

const ECHO_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** echo -e's backslash escapes (\0NNN and \NNN octal, \xHH hex); `\c` stops all further output, including the newline. */
export function expandEchoEscapes(text: string): { expanded: string; stopped: boolean } {
  let expanded = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (c !== '\\' || next === undefined) {
      expanded += c;
      continue;
    }
    if (next === 'c') return { expanded, stopped: true };
    if (next in ECHO_ESCAPES) {
      expanded += ECHO_ESCAPES[next];
      i++;
    } else if (next === 'x' && /[0-9a-fA-F]/.test(text[i + 2] ?? '')) {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2))![0];
      expanded += String.fromCharCode(parseInt(hex, 16));
      i += 1 + hex.length;
    } else if (next === '0') {
      const digits = /^[0-7]{0,3}/.exec(text.slice(i + 2))![0];
      expanded += String.fromCharCode(parseInt(digits || '0', 8) & 0xff);
      i += 1 + digits.length;
    } else if (/[1-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
      expanded += String.fromCharCode(parseInt(digits, 8) & 0xff);
      i += digits.length;
    } else {
      expanded += c;
    }
  }
  return { expanded, stopped: false };
}

/** What wc counts: '\n' characters, words (runs of non-whitespace) and characters. */
export interface WcCounts {
  lines: number;
  words: number;
  chars: number;
}

/** wc's counts of a text; a last line without '\n' adds no line, as in GNU wc. */
export function countText(text: string): WcCounts {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return { lines, words: countWords(text), chars: text.length };
}

/** Words as GNU wc sees them in the C locale: maximal runs of characters other than space, \t \n \v \f \r. */
export function countWords(text: string): number {
  return text.match(/[^ \t\n\v\f\r]+/g)?.length ?? 0;
}

/** One wc output line: the chosen counts in the order lines, words, characters, one space apart, then the name. */
export function formatCounts(counts: WcCounts, show: { lines: boolean; words: boolean; chars: boolean }, name?: string): string {
  const fields: (number | string)[] = [];
  if (show.lines) fields.push(counts.lines);
  if (show.words) fields.push(counts.words);
  if (show.chars) fields.push(counts.chars);
  if (name !== undefined) fields.push(name);
  return fields.join(' ') + '\n';
}

/** Where a UTF-16 unit sorts by code point: surrogates (astral characters) after U+E000..U+FFFF. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}

/** sort's order in the C locale: by code point (the order of UTF-8 bytes), a prefix first. */
export function compareLines(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** The number sort -n reads at the start of a line, as digit strings so that any length compares exactly. */
interface NumericKey {
  negative: boolean;
  /** Integer digits without leading zeros. */
  int: string;
  /** Fraction digits without trailing zeros. */
  frac: string;
}

function numericKey(line: string): NumericKey {
  const match = /^[ \t]*(-?)0*(\d*)(?:\.(\d*))?/.exec(line)!;
  const int = match[2];
  const frac = (match[3] ?? '').replace(/0+$/, '');
  // No digits at all (text, '-', '.', '-0') is zero, and zero has no sign.
  return { negative: match[1] === '-' && (int !== '' || frac !== ''), int, frac };
}

function compareDigits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * sort -n's key order: leading blanks, an optional '-', digits and an optional
 * '.' fraction; a line that does not start with a number counts as 0. Equal
 * keys compare 0 (sort then falls back to comparing whole lines).
 */
export function compareNumeric(a: string, b: string): number {
  const x = numericKey(a);
  const y = numericKey(b);
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const magnitude = x.int.length - y.int.length || compareDigits(x.int, y.int) || compareDigits(x.frac, y.frac);
  return x.negative ? -magnitude : magnitude;
}

/** sort's output order; -r reverses everything, including the whole-line comparison that breaks ties. */
export function sortLines(lines: readonly string[], options: { reverse?: boolean; numeric?: boolean } = {}): string[] {
  const order = options.numeric ? (a: string, b: string) => compareNumeric(a, b) || compareLines(a, b) : compareLines;
  const sign = options.reverse ? -1 : 1;
  return [...lines].sort((a, b) => sign * order(a, b));
}

/** A run of equal adjacent lines, as uniq reports it. */
export interface Run {
  count: number;
  line: string;
}

/** Collapses runs of equal adjacent lines as they arrive (uniq compares neighbours only). */
export class RunCounter {
  private current: Run | null = null;

  /** Takes the next line; returns the run it ends, if it ends one. */
  push(line: string): Run | null {
    if (this.current && this.current.line === line) {
      this.current.count++;
      return null;
    }
    const ended = this.current;
    this.current = { count: 1, line };
    return ended;
  }

  /** At end of input: the last run, if there was any input. */
  end(): Run | null {
    const ended = this.current;
    this.current = null;
    return ended;
  }
}

/** uniq's runs of a whole list of lines. */
export function uniqCount(lines: readonly string[]): Run[] {
  const counter = new RunCounter();
  const runs: Run[] = [];
  for (const line of lines) {
    const run = counter.push(line);
    if (run) runs.push(run);
  }
  const last = counter.end();
  if (last) runs.push(last);
  return runs;
}

/** One uniq output line: `COUNT LINE` with -c (one space, no padding), else the line. */
export function formatRun(run: Run, withCount: boolean): string {
  return withCount ? `${run.count} ${run.line}\n` : `${run.line}\n`;
}

/**
 * The prefix of `text` holding at most `n` lines (counting '\n's), and how
 * many '\n's it holds; head writes it as it is, a last line without '\n' too.
 */
export function takeLines(text: string, n: number): { taken: string; lines: number } {
  let end = 0;
  let lines = 0;
  while (lines < n) {
    const newline = text.indexOf('\n', end);
    if (newline === -1) return { taken: text, lines };
    end = newline + 1;
    lines++;
  }
  return { taken: text.slice(0, end), lines };
}

/** head -n -K: all but the last `k` lines; a last line without '\n' counts as one. */
export function dropLastLines(text: string, k: number): string {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return lines.slice(0, Math.max(0, lines.length - k)).join('');
}

/** A SET operand tr cannot use; the message is GNU's. */
export class TrSetError extends Error {}

const TR_CLASSES: Readonly<Record<string, string>> = (() => {
  const range = (from: number, to: number, keep: (c: string) => boolean = () => true): string => {
    let chars = '';
    for (let code = from; code <= to; code++) if (keep(String.fromCharCode(code))) chars += String.fromCharCode(code);
    return chars;
  };
  const upper = range(65, 90);
  const lower = range(97, 122);
  const digit = range(48, 57);
  return {
    alnum: digit + upper + lower,
    alpha: upper + lower,
    blank: '\t ',
    cntrl: range(0, 31) + '\x7f',
    digit,
    graph: range(33, 126),
    lower,
    print: range(32, 126),
    punct: range(33, 126, (c) => !/[0-9A-Za-z]/.test(c)),
    space: '\t\n\v\f\r ',
    upper,
    xdigit: digit + 'ABCDEFabcdef',
  };
})();

const TR_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** One character of a tr SET after backslash escapes; `literal` when it came from an escape. */
interface SetChar {
  char: string;
  literal: boolean;
}

function unescapeSet(set: string): SetChar[] {
  const chars: SetChar[] = [];
  const units = [...set];
  for (let i = 0; i < units.length; i++) {
    if (units[i] !== '\\' || i + 1 === units.length) {
      chars.push({ char: units[i], literal: false });
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(units.slice(i + 1, i + 4).join(''));
    if (octal) {
      chars.push({ char: String.fromCharCode(parseInt(octal[0], 8) & 0xff), literal: true });
      i += octal[0].length;
    } else {
      const next = units[++i];
      chars.push({ char: TR_ESCAPES[next] ?? next, literal: true });
    }
  }
  return chars;
}

/**
 * The characters a tr SET stands for, in order: backslash escapes (\n, \t,
 * \\, \NNN octal), ranges like a-z, and classes like [:upper:]. A '-' at
 * either end is itself. Classes are listed in ascending order, so
 * [:upper:] and [:lower:] line up with each other.
 */
export function expandTrSet(set: string): string[] {
  const chars = unescapeSet(set);
  const expanded: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const { char, literal } = chars[i];
    if (char === '[' && !literal && chars[i + 1]?.char === ':') {
      const rest = chars.slice(i + 2).map((c) => c.char).join('');
      const close = rest.indexOf(':]');
      if (close > 0) {
        const name = rest.slice(0, close);
        const members = Object.hasOwn(TR_CLASSES, name) ? TR_CLASSES[name] : undefined;
        if (members === undefined) throw new TrSetError(`invalid character class ${quoteAlways(name)}`);
        expanded.push(...members);
        i += 2 + [...name].length + 1;
        continue;
      }
    }
    const dash = chars[i + 1];
    const end = chars[i + 2];
    if (dash && end && dash.char === '-' && !dash.literal) {
      const from = char.codePointAt(0)!;
      const to = end.char.codePointAt(0)!;
      if (from > to) {
        throw new TrSetError(`range-endpoints of '${char}-${end.char}' are in reverse collating sequence order`);
      }
      for (let code = from; code <= to; code++) expanded.push(String.fromCodePoint(code));
      i += 2;
      continue;
    }
    expanded.push(char);
  }
  return expanded;
}

/**
 * tr SET1 SET2's translation: each character of SET1 becomes the character
 * at the same place in SET2, SET2 padded with its last character; when a
 * character appears twice in SET1 its last place wins, as in GNU tr.
 */
export function trTable(set1: string, set2: string): Map<string, string> {
  if (/\[:(?!upper:\]|lower:\])[a-z]*:\]/.test(set2)) {
    throw new TrSetError("when translating, the only character classes that may appear in string2 are 'upper' and 'lower'");
  }
  const from = expandTrSet(set1);
  const to = expandTrSet(set2);
  if (to.length === 0 && from.length > 0) throw new TrSetError('when not truncating set1, string2 must be non-empty');
  const table = new Map<string, string>();
  from.forEach((char, i) => table.set(char, to[Math.min(i, to.length - 1)]));
  return table;
}

/** Text with each character replaced as the table says. */
export function translate(text: string, table: ReadonlyMap<string, string>): string {
  let out = '';
  for (const char of text) out += table.get(char) ?? char;
  return out;
}

/** The text `yes` writes again and again: whole lines of its words (default `y`), about one chunk long. */
export function yesChunk(words: readonly string[]): string {
  const line = (words.length > 0 ? words.join(' ') : 'y') + '\n';
  return line.repeat(Math.max(1, Math.floor(CHUNK / line.length)));
}

/** sleep's operands in seconds (suffixes s, m, h, d; fractions allowed, summed as GNU does), or null if one is invalid. */
export function parseDuration(operands: readonly string[]): { seconds: number } | { invalid: string } {
  const unit: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };
  let seconds = 0;
  for (const operand of operands) {
    const match = /^(\d+\.?\d*|\.\d+)([smhd]?)$/.exec(operand);
    if (!match) return { invalid: operand };
    seconds += Number(match[1]) * unit[match[2]];
  }
  return { seconds };
}

/** A name in a message, quoted only when it holds characters a shell would trip on (GNU's quotef). */
export function quoteName(name: string): string {
  return /^[\w./,:@%+=^-]+$/.test(name) ? name : quoteAlways(name);
}

/** A name in a message, always quoted (GNU's quote): 'nope', or "it's" when it holds a quote. */
export function quoteAlways(name: string): string {
  return name.includes("'") ? `"${name}"` : `'${name}'`;
}

// ---------------------------------------------------------------------------
// Errors and I/O

/** What a failing sys call rejects with, as far as a program cares. */
interface SysFailure {
  code: string;
  message: string;
}

/** strerror in the C locale, for the errno names the kernel uses. */
const STRERROR: Readonly<Record<string, string>> = {
  EACCES: 'Permission denied',
  EAGAIN: 'Resource temporarily unavailable',
  EBADF: 'Bad file descriptor',
  ECONNRESET: 'Connection reset by peer',
  EEXIST: 'File exists',
  EINTR: 'Interrupted system call',
  EINVAL: 'Invalid argument',
  EISDIR: 'Is a directory',
  ENOENT: 'No such file or directory',
  ENOMEM: 'Cannot allocate memory',
  ENOSPC: 'No space left on device',
  ENOSYS: 'Function not implemented',
  ENOTCONN: 'Transport endpoint is not connected',
  ENOTDIR: 'Not a directory',
  ENXIO: 'No such device or address',
  EPERM: 'Operation not permitted',
  EPIPE: 'Broken pipe',
};

/** The error as a failed sys call; anything else (the kernel ending the process, a bug) passes on. */
function asSysFailure(e: unknown): SysFailure {
  if (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string') return e as SysFailure;
  throw e;
}

/** The GNU text for why a sys call failed. */
function reason(e: unknown): string {
  const failure = asSysFailure(e);
  return STRERROR[failure.code] ?? failure.message;
}

/** Writing the program's output failed (EPIPE when SIGPIPE is ignored); the program stops with status 1. */
class WriteFailed {
  constructor(readonly why: string) {}
}

/** One run of a program: its name for messages, its buffered output, and its reads. */
class Io {
  /** Output not yet written, always less than a chunk between calls. */
  private pending = '';
  /** Where output goes: stdout unless the program opened a file for it (uniq's OUTPUT). */
  out = 1;

  constructor(readonly sys: BinSys, readonly name: string) {}

  /** Buffers output, writing whole chunks as they fill. */
  async put(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= CHUNK) await this.drain(false);
  }

  /** Writes everything buffered; streaming programs call it after each chunk of input. */
  async flush(): Promise<void> {
    await this.drain(true);
  }

  private async drain(all: boolean): Promise<void> {
    let start = 0;
    while (this.pending.length - start >= CHUNK || (all && start < this.pending.length)) {
      const piece = this.pending.slice(start, start + CHUNK);
      start += piece.length;
      try {
        await this.writeAll(this.out, piece);
      } catch (e) {
        throw new WriteFailed(reason(e));
      }
    }
    this.pending = this.pending.slice(start);
  }

  /** Writes all of `data`, however many calls a pipe that takes part of it needs. */
  async writeAll(fd: number, data: string): Promise<void> {
    for (let rest = data; rest.length > 0;) {
      const written = await this.sys.write(fd, rest);
      if (!(written > 0)) return;
      rest = rest.slice(written);
    }
  }

  /** The chunks of an input until end of file. */
  async *chunks(fd: number): AsyncGenerator<string, void, void> {
    for (;;) {
      const chunk = await this.sys.read(fd, CHUNK);
      if (chunk === '') return;
      yield chunk;
    }
  }

  async readAll(fd: number): Promise<string> {
    let text = '';
    for await (const chunk of this.chunks(fd)) text += chunk;
    return text;
  }

  /** Runs `body` on an input operand opened for reading ('-' is stdin), closing it after. */
  async withInput<T>(path: string, body: (fd: number) => Promise<T>): Promise<T> {
    if (path === '-') return body(0);
    const fd = await this.sys.open(path, 'r');
    try {
      return await body(fd);
    } finally {
      await this.closeQuietly(fd);
    }
  }

  async closeQuietly(fd: number): Promise<void> {
    try {
      await this.sys.close(fd);
    } catch (e) {
      asSysFailure(e);
    }
  }

  /** Writes to stderr; a failure to do so is ignored, as there is nowhere to report it. */
  async stderr(text: string): Promise<void> {
    try {
      await this.writeAll(2, text);
    } catch (e) {
      asSysFailure(e);
    }
  }

  /** Writes `NAME: message` to stderr. */
  async complain(message: string): Promise<void> {
    await this.stderr(`${this.name}: ${message}\n`);
  }

  /** Reports bad usage GNU-style and gives the status for it. */
  async usage(message: string): Promise<number> {
    await this.complain(`${message}\nTry '${this.name} --help' for more information.`);
    return 2;
  }
}

/** Makes a program: runs the body, writes what is left of its output, and turns a failed write into status 1. */
function program(name: string, body: (io: Io, args: string[]) => Promise<number>): BinProgram {
  return async (sys, args) => {
    const io = new Io(sys, name);
    try {
      const status = await body(io, args);
      await io.flush();
      return status;
    } catch (e) {
      if (!(e instanceof WriteFailed)) throw e;
      await io.complain(`write error: ${e.why}`);
      return 1;
    }
  };
}

/** The operands, or stdin alone when there are none. */
function inputs(operands: readonly string[]): string[] {
  return operands.length > 0 ? [...operands] : ['-'];
}

// ---------------------------------------------------------------------------
// The programs

const echo = program('echo', async (io, args) => {
  await io.put(echoText(args));
  return 0;
});

const cat = program('cat', async (io, args) => {
  const parsed = parseArgs(args, '');
  if ('error' in parsed) return io.usage(parsed.error);
  let status = 0;
  for (const path of inputs(parsed.operands)) {
    try {
      await io.withInput(path, async (fd) => {
        // Stream: what was read is written before reading more, so cat works in endless pipelines.
        for await (const chunk of io.chunks(fd)) {
          await io.put(chunk);
          await io.flush();
        }
      });
    } catch (e) {
      await io.complain(`${quoteName(path)}: ${reason(e)}`);
      status = 1;
    }
  }
  return status;
});

const wc = program('wc', async (io, args) => {
  const parsed = parseArgs(args, 'lwc');
  if ('error' in parsed) return io.usage(parsed.error);
  const all = parsed.flags.size === 0;
  const show = { lines: all || parsed.flags.has('l'), words: all || parsed.flags.has('w'), chars: all || parsed.flags.has('c') };
  const total: WcCounts = { lines: 0, words: 0, chars: 0 };
  let status = 0;
  for (const path of inputs(parsed.operands)) {
    let counts: WcCounts;
    try {
      counts = countText(await io.withInput(path, (fd) => io.readAll(fd)));
    } catch (e) {
      await io.complain(`${quoteName(path)}: ${reason(e)}`);
      status = 1;
      // GNU opens a directory and fails to read it, so it still prints zeros for it.
      if (asSysFailure(e).code !== 'EISDIR') continue;
      counts = { lines: 0, words: 0, chars: 0 };
    }
    total.lines += counts.lines;
    total.words += counts.words;
    total.chars += counts.chars;
    await io.put(formatCounts(counts, show, parsed.operands.length > 0 ? path : undefined));
  }
  if (parsed.operands.length > 1) await io.put(formatCounts(total, show, 'total'));
  return status;
});

const sort = program('sort', async (io, args) => {
  const parsed = parseArgs(args, 'rn');
  if ('error' in parsed) return io.usage(parsed.error);
  const lines: string[] = [];
  for (const path of inputs(parsed.operands)) {
    try {
      lines.push(...splitLines(await io.withInput(path, (fd) => io.readAll(fd))));
    } catch (e) {
      const failure = asSysFailure(e);
      const what = failure.code === 'EISDIR' ? 'read failed' : 'cannot read';
      await io.complain(`${what}: ${quoteName(path)}: ${reason(e)}`);
      return 2;
    }
  }
  for (const line of sortLines(lines, { reverse: parsed.flags.has('r'), numeric: parsed.flags.has('n') })) {
    await io.put(line + '\n');
  }
  return 0;
});

const uniq = program('uniq', async (io, args) => {
  const parsed = parseArgs(args, 'c');
  if ('error' in parsed) return io.usage(parsed.error);
  const [input = '-', output, extra] = parsed.operands;
  if (extra !== undefined) return io.usage(`extra operand ${quoteAlways(extra)}`);
  if (output !== undefined && output !== '-') {
    try {
      io.out = await io.sys.open(output, 'w');
    } catch (e) {
      await io.complain(`${quoteName(output)}: ${reason(e)}`);
      return 1;
    }
  }
  try {
    return await uniqInto(io, input, parsed.flags.has('c'));
  } finally {
    if (io.out !== 1) await io.closeQuietly(io.out);
  }
});

/** uniq's work once its output is open: streams runs of `input` to io.out. */
async function uniqInto(io: Io, input: string, withCount: boolean): Promise<number> {
  const splitter = new LineSplitter();
  const runs = new RunCounter();
  const emit = async (run: Run | null): Promise<void> => {
    if (run) await io.put(formatRun(run, withCount));
  };
  try {
    await io.withInput(input, async (fd) => {
      for await (const chunk of io.chunks(fd)) {
        for (const line of splitter.push(chunk)) await emit(runs.push(line));
        await io.flush();
      }
    });
  } catch (e) {
    await io.complain(`${quoteName(input)}: ${reason(e)}`);
    return 1;
  }
  const last = splitter.end();
  if (last !== null) await emit(runs.push(last));
  await emit(runs.end());
  await io.flush();
  return 0;
}

const grep = program('grep', async (io, args) => {
  const parsed = parseArgs(args, 'v');
  if ('error' in parsed) return io.usage(parsed.error);
  const [pattern, ...files] = parsed.operands;
  if (pattern === undefined) {
    await io.stderr("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
    return 2;
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (e) {
    await io.complain(e instanceof Error ? e.message : String(e));
    return 2;
  }
  const invert = parsed.flags.has('v');
  const named = files.length > 1;
  let matched = false;
  let failed = false;
  for (const path of inputs(files)) {
    const prefix = named ? `${path === '-' ? '(standard input)' : path}:` : '';
    const splitter = new LineSplitter();
    const select = async (line: string): Promise<void> => {
      if (regex.test(line) === invert) return;
      matched = true;
      await io.put(prefix + line + '\n');
    };
    try {
      await io.withInput(path, async (fd) => {
        for await (const chunk of io.chunks(fd)) {
          for (const line of splitter.push(chunk)) await select(line);
          await io.flush();
        }
      });
    } catch (e) {
      await io.complain(`${quoteName(path)}: ${reason(e)}`);
      failed = true;
      continue;
    }
    const last = splitter.end();
    if (last !== null) await select(last);
  }
  return failed ? 2 : matched ? 0 : 1;
});

const head = program('head', async (io, args) => {
  // The old form -N (as the first argument) means -n N.
  const modern = args.length > 0 && /^-\d+$/.test(args[0]) ? ['-n', args[0].slice(1), ...args.slice(1)] : args;
  const parsed = parseArgs(modern, '', 'n');
  if ('error' in parsed) return io.usage(parsed.error);
  const count = parsed.values.get('n') ?? '10';
  if (!/^-?\d+$/.test(count)) {
    await io.complain(`invalid number of lines: ${quoteAlways(count)}`);
    return 2;
  }
  const n = Math.abs(Number(count));
  const allButLast = count.startsWith('-');
  const paths = inputs(parsed.operands);
  let status = 0;
  let firstHeader = true;
  for (const path of paths) {
    let fd: number;
    try {
      fd = path === '-' ? 0 : await io.sys.open(path, 'r');
    } catch (e) {
      const failure = asSysFailure(e);
      await io.complain(failure.code === 'EISDIR'
        ? `error reading ${quoteAlways(path)}: ${reason(e)}`
        : `cannot open ${quoteAlways(path)} for reading: ${reason(e)}`);
      status = 1;
      continue;
    }
    if (paths.length > 1) {
      await io.put(`${firstHeader ? '' : '\n'}==> ${path === '-' ? 'standard input' : path} <==\n`);
      firstHeader = false;
    }
    try {
      if (allButLast) {
        await io.put(dropLastLines(await io.readAll(fd), n));
      } else if (n > 0) {
        // Stop reading once the lines are out: `yes | head` ends because head does.
        let left = n;
        for await (const chunk of io.chunks(fd)) {
          const { taken, lines } = takeLines(chunk, left);
          await io.put(taken);
          await io.flush();
          left -= lines;
          if (left === 0) break;
        }
      }
    } catch (e) {
      await io.complain(`error reading ${quoteAlways(path)}: ${reason(e)}`);
      status = 1;
    } finally {
      if (fd !== 0) await io.closeQuietly(fd);
    }
  }
  return status;
});

const tr = program('tr', async (io, args) => {
  const parsed = parseArgs(args, '');
  if ('error' in parsed) return io.usage(parsed.error);
  const [set1, set2, extra] = parsed.operands;
  if (set1 === undefined) return io.usage('missing operand');
  if (set2 === undefined) {
    return io.usage(`missing operand after ${quoteAlways(set1)}\nTwo strings must be given when translating.`);
  }
  if (extra !== undefined) return io.usage(`extra operand ${quoteAlways(extra)}`);
  let table: Map<string, string>;
  try {
    table = trTable(set1, set2);
  } catch (e) {
    if (!(e instanceof TrSetError)) throw e;
    await io.complain(e.message);
    return 2;
  }
  try {
    for await (const chunk of io.chunks(0)) {
      await io.put(translate(chunk, table));
      await io.flush();
    }
  } catch (e) {
    await io.complain(`read error: ${reason(e)}`);
    return 1;
  }
  return 0;
});

const ls = program('ls', async (io, args) => {
  const parsed = parseArgs(args, '');
  if ('error' in parsed) return io.usage(parsed.error);
  const operands = parsed.operands.length > 0 ? parsed.operands : ['.'];
  const files: string[] = [];
  const dirs: { path: string; names: string[] }[] = [];
  let status = 0;
  for (const path of operands) {
    try {
      const names = (await io.sys.readdir(path)).filter((name) => !name.startsWith('.'));
      dirs.push({ path, names: [...names].sort(compareLines) });
    } catch (e) {
      const failure = asSysFailure(e);
      if (failure.code === 'ENOTDIR') {
        files.push(path);
        continue;
      }
      await io.complain(failure.code === 'ENOENT'
        ? `cannot access ${quoteAlways(path)}: ${reason(e)}`
        : `cannot open directory ${quoteAlways(path)}: ${reason(e)}`);
      status = 2;
    }
  }
  for (const file of files.sort(compareLines)) await io.put(file + '\n');
  dirs.sort((a, b) => compareLines(a.path, b.path));
  for (const [i, dir] of dirs.entries()) {
    if (files.length > 0 || i > 0) await io.put('\n');
    // Names are printed as they are: GNU ls quotes only for a terminal.
    if (operands.length > 1) await io.put(`${dir.path}:\n`);
    for (const name of dir.names) await io.put(name + '\n');
  }
  return status;
});

const tee = program('tee', async (io, args) => {
  const parsed = parseArgs(args, '');
  if ('error' in parsed) return io.usage(parsed.error);
  let status = 0;
  // Like GNU tee, an output that fails is dropped and the others go on.
  const outputs: { name: string; fd: number }[] = [{ name: "'standard output'", fd: 1 }];
  for (const path of parsed.operands) {
    try {
      outputs.push({ name: quoteName(path), fd: await io.sys.open(path, 'w') });
    } catch (e) {
      await io.complain(`${quoteName(path)}: ${reason(e)}`);
      status = 1;
    }
  }
  let live = outputs;
  try {
    for await (const chunk of io.chunks(0)) {
      const kept: typeof live = [];
      for (const output of live) {
        try {
          await io.writeAll(output.fd, chunk);
          kept.push(output);
        } catch (e) {
          await io.complain(`${output.name}: ${reason(e)}`);
          status = 1;
        }
      }
      live = kept;
      if (live.length === 0) break;
    }
  } catch (e) {
    await io.complain(`read error: ${reason(e)}`);
    status = 1;
  }
  for (const output of outputs) if (output.fd !== 1) await io.closeQuietly(output.fd);
  return status;
});

const yes = program('yes', async (io, args) => {
  const chunk = yesChunk(args);
  // Forever: the kernel ends it with SIGPIPE once the reader goes; if SIGPIPE is ignored the write fails instead.
  for (;;) {
    try {
      await io.writeAll(1, chunk);
    } catch (e) {
      throw new WriteFailed(reason(e));
    }
  }
});

const sleep = program('sleep', async (io, args) => {
  const parsed = parseArgs(args, '');
  if ('error' in parsed) return io.usage(parsed.error);
  if (parsed.operands.length === 0) return io.usage('missing operand');
  const duration = parseDuration(parsed.operands);
  if ('invalid' in duration) return io.usage(`invalid time interval ${quoteAlways(duration.invalid)}`);
  await io.sys.sleep(Math.round(duration.seconds * 1000));
  return 0;
});

/** The programs of /bin by name; `exec` runs one as the body of the process. */
export const PROGRAMS: Readonly<Record<string, BinProgram>> = Object.freeze({
  echo,
  cat,
  wc,
  sort,
  uniq,
  grep,
  head,
  tr,
  ls,
  tee,
  yes,
  true: async () => 0,
  false: async () => 1,
  sleep,
});
