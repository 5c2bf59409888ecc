/**
 * Points the realm's sources of nondeterminism and its console at the kernel, so a run is a
 * function of its seed and a forked process's re-execution repeats its parent exactly.
 */
import { realm } from '../kernel';
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
