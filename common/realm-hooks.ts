/**
 * Points the realm's sources of nondeterminism and its console at the kernel, so a run is a
 * function of its seed and a forked process's re-execution repeats its parent exactly.
 */
import { markProgramProxy, realm } from '../kernel';
import { formatLogLine } from './log-format';

export function installSeededRandom(): void {
  Math.random = function random() {
    return realm.random();
  };
}

/** `Date.now()`, `new Date()` and `Date()` show simulated time; every other use of Date is unchanged. */
export function installSimulatedDate(): void {
  const RealDate = Date;
  const SimulatedDate = function Date(...args: unknown[]) {
    if (new.target === undefined) return new RealDate(realm.now()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [realm.now()] : args, new.target);
  } as unknown as DateConstructor;
  const method = { writable: true, configurable: true };
  Object.defineProperties(SimulatedDate, {
    prototype: { value: RealDate.prototype },
    length: { value: RealDate.length },
    now: { value: function now() { return realm.now(); }, ...method },
    parse: { value: RealDate.parse, ...method },
    UTC: { value: RealDate.UTC, ...method },
  });
  Object.defineProperty(RealDate.prototype, 'constructor', { value: SimulatedDate });
  Object.defineProperty(globalThis, 'Date', { value: SimulatedDate });
  // Intl.DateTimeFormat's format() and formatToParts() with no date read the real clock (to the millisecond).
  const formats = Intl.DateTimeFormat.prototype;
  const formatGetter = Reflect.getOwnPropertyDescriptor(formats, 'format')!.get!;
  const realFormatToParts = formats.formatToParts;
  Object.defineProperty(formats, 'format', {
    get(this: Intl.DateTimeFormat) {
      const format = formatGetter.call(this) as (date?: Date | number) => string;
      return (date?: Date | number) => format(date === undefined ? realm.now() : date);
    },
    enumerable: false,
    configurable: true,
  });
  Object.defineProperty(formats, 'formatToParts', {
    value: function formatToParts(this: Intl.DateTimeFormat, date?: Date | number) {
      return realFormatToParts.call(this, date === undefined ? realm.now() : date);
    },
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

/** console.log and friends write to the run's debug log; the other console methods stay no-ops. */
export function installDebugConsole(): void {
  Object.assign(console, {
    log(...args: unknown[]) { realm.log(formatLogLine(args)); },
    info(...args: unknown[]) { realm.log(formatLogLine(args)); },
    warn(...args: unknown[]) { realm.log(formatLogLine(args)); },
    error(...args: unknown[]) { realm.log(formatLogLine(args)); },
    debug(...args: unknown[]) { realm.log(formatLogLine(args)); },
  });
}

/**
 * ArrayBuffer and SharedArrayBuffer without `maxByteLength`: a resizable buffer reserves its
 * maximum and grows outside the isolate's memory limit (1 GiB under 64 MiB; 32,000 reservations
 * of 4 GiB exhaust the whole process's address space). Fixed-size buffers count against the limit.
 */
export function installFixedSizeBuffers(): void {
  for (const name of ['ArrayBuffer', 'SharedArrayBuffer'] as const) {
    const Real = globalThis[name] as unknown as (new (length?: number) => object) | undefined;
    // A browser page that is not cross-origin isolated (the Run panel's worker) has no SharedArrayBuffer.
    if (Real === undefined) continue;
    const Fixed = function (this: unknown, length?: number, options?: unknown) {
      if (new.target === undefined) throw new TypeError(`Constructor ${name} requires 'new'`);
      if (typeof options === 'object' && options !== null && (options as { maxByteLength?: unknown }).maxByteLength !== undefined) {
        throw new RangeError(`resizable ${name}s are not available in this sandbox`);
      }
      return Reflect.construct(Real, [length], new.target);
    };
    for (const key of Reflect.ownKeys(Real)) {
      if (key !== 'prototype') Object.defineProperty(Fixed, key, Reflect.getOwnPropertyDescriptor(Real, key)!);
    }
    Object.defineProperty(Fixed, 'prototype', { value: Real.prototype, writable: false, enumerable: false, configurable: false });
    Object.defineProperty(Real.prototype, 'constructor', { value: Fixed, writable: true, enumerable: false, configurable: true });
    Object.defineProperty(globalThis, name, { value: Fixed, writable: true, enumerable: false, configurable: true });
  }
}

/**
 * Proxy and Proxy.revocable report every proxy they make to the kernel, which refuses to copy one:
 * reading it would run the program's traps inside the kernel's own code.
 */
export function installRecognisableProxies(): void {
  const RealProxy = Proxy;
  const realRevocable = Proxy.revocable;
  const RecognisableProxy = function Proxy(target: object, handler: ProxyHandler<object>) {
    if (new.target === undefined) throw new TypeError("Constructor Proxy requires 'new'");
    return markProgramProxy(new RealProxy(target, handler));
  };
  Object.defineProperty(RecognisableProxy, 'revocable', {
    value: function revocable(target: object, handler: ProxyHandler<object>) {
      const made = realRevocable(target, handler);
      markProgramProxy(made.proxy);
      return made;
    },
    writable: true,
    configurable: true,
  });
  Object.defineProperty(globalThis, 'Proxy', { value: RecognisableProxy, writable: true, enumerable: false, configurable: true });
}

/**
 * Symbol.for and Symbol.keyFor with a registry that lives for one run: V8's own registry belongs to
 * the isolate and never lets go of a key, so a program could fill it for the submissions after it.
 * Returns the function that empties it, called as each run starts.
 */
export function installRunLocalSymbolRegistry(): () => void {
  const symbols = new Map<string, symbol>();
  const keys = new Map<symbol, string>();
  const RealSymbol = Symbol;
  Object.defineProperties(Symbol, {
    for: {
      value: function symbolFor(key: unknown) {
        const name = String(key);
        let symbol = symbols.get(name);
        if (symbol === undefined) {
          symbol = RealSymbol(name);
          symbols.set(name, symbol);
          keys.set(symbol, name);
        }
        return symbol;
      },
      writable: true,
      configurable: true,
    },
    keyFor: {
      value: function keyFor(symbol: unknown) {
        if (typeof symbol !== 'symbol') throw new TypeError(`${String(symbol)} is not a symbol`);
        return keys.get(symbol);
      },
      writable: true,
      configurable: true,
    },
  });
  return () => {
    // Map.prototype.clear allocates a new table even for an empty map, and most runs register no symbol.
    if (symbols.size === 0) return;
    symbols.clear();
    keys.clear();
  };
}
