/** Small helpers shared by the benchmarks: timing, statistics, a plain-text table. */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';

export const now = () => performance.now();

export function median(values) {
  return percentile(values, 50);
}

/** Nearest-rank percentile of `values` (p from 0 to 100). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** A sample of milliseconds as the benches report it. */
export function stats(ms) {
  return { count: ms.length, median: median(ms), p95: percentile(ms, 95), max: Math.max(...ms) };
}

/**
 * Calls `once(i)` (sync or async) until `ms` milliseconds have passed and at
 * least `minCalls` calls were made; resolves to calls per second of wall time
 * and of this process's CPU time (which a busy, shared machine disturbs less).
 * Asynchronous calls let the event loop turn every few calls, as a server's would.
 */
export async function rate(once, { ms, minCalls = 1 }) {
  const began = now();
  const cpuBefore = process.cpuUsage();
  let calls = 0;
  while (calls < minCalls || now() - began < ms) {
    const pending = once(calls);
    if (pending instanceof Promise) {
      await pending;
      if (calls % 16 === 15) await breathe();
    }
    calls++;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return rateOf({ calls, ms: now() - began, cpuMs: (cpu.user + cpu.system) / 1000 });
}

/** `calls` made in `ms` of wall time and `cpuMs` of this process's CPU time, as `rate` reports them. */
function rateOf({ calls, ms, cpuMs }) {
  return { perSecond: (calls * 1000) / ms, perCpuSecond: (calls * 1000) / cpuMs, calls, ms, cpuMs };
}

/**
 * `rate` of each variant (name → once), measured in turns of `sliceMs` that take the variants in
 * order and then in reverse (A B B A A B …), until each has had `ms`; the first variant named
 * opens. A machine whose speed moves from one second to the next then slows every variant
 * alike, where whole boxes one after the other each catch a speed of their own.
 */
export async function interleavedRates(variants, { ms, sliceMs }) {
  const names = Object.keys(variants);
  const totals = Object.fromEntries(names.map((name) => [name, { calls: 0, ms: 0, cpuMs: 0 }]));
  for (let turn = 0; names.some((name) => totals[name].ms < ms); turn++) {
    for (const name of turn % 2 === 0 ? names : [...names].reverse()) {
      const slice = await rate(variants[name], { ms: sliceMs });
      totals[name].calls += slice.calls;
      totals[name].ms += slice.ms;
      totals[name].cpuMs += slice.cpuMs;
    }
  }
  return Object.fromEntries(names.map((name) => [name, rateOf(totals[name])]));
}

/** Lets pending I/O and timers run, so a measurement starts from a settled event loop. */
export function breathe() {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Formats 123456.7 as "123,457". */
export function count(value) {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : String(value);
}

export function ratio(value) {
  return Number.isFinite(value) ? `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)}×` : String(value);
}

/** Prints rows (arrays of cells) as an aligned table with a header. */
export function printTable(header, rows) {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => String(row[i]).length)));
  const line = (row) => row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** What the figures were measured on: they mean little without it (load average included: the machine may be shared). */
export function machine() {
  const cores = cpus();
  return {
    node: process.version,
    cpu: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
  };
}
