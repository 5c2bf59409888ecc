/** Objects the kernel hands out (semaphore tokens, segments): shared as they are, never copied. */
const kernelHandles = new WeakSet<object>();

export function markKernelHandle<T extends object>(handle: T): T {
  kernelHandles.add(handle);
  return handle;
}

/** How deep a value passed to the kernel may nest. */
const MAX_DEPTH = 64;

/** A value nested deeper than MAX_DEPTH: the caller turns it into EINVAL. */
export class TooDeep extends Error {}

/**
 * Values crossing between processes (messages, results) are copied, as
 * structured clone would: a receiver can never reach the sender's objects.
 * Kernel handles are shared as they are; functions pass as they are (a message
 * refuses them before it gets here). Throws TooDeep past MAX_DEPTH levels.
 */
export function cloneForDelivery<T>(value: T): T {
  if (typeof value !== 'object' || value === null || kernelHandles.has(value)) return value;
  return copy(value, new Map(), 0) as T;
}

function copy(value: unknown, seen: Map<object, unknown>, depth: number): unknown {
  if (typeof value !== 'object' || value === null || kernelHandles.has(value)) return value;
  if (depth > MAX_DEPTH) throw new TooDeep();
  const known = seen.get(value);
  if (known !== undefined) return known;
  const inner = depth + 1;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copy(item, seen, inner));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(copy(k, seen, inner), copy(v, seen, inner));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(copy(v, seen, inner));
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): unknown }).slice();
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key], seen, inner);
  return out;
}

/** Whether a value can travel in a message: data only, no functions or symbols. */
export function isCloneable(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (typeof value === 'function' || typeof value === 'symbol') return false;
  if (typeof value !== 'object' || value === null) return true;
  if (value instanceof Map) return [...value].every(([k, v]) => isCloneable(k, depth + 1) && isCloneable(v, depth + 1));
  if (value instanceof Set) return [...value].every((v) => isCloneable(v, depth + 1));
  return Object.values(value).every((v) => isCloneable(v, depth + 1));
}

const TRACE_TEXT_LIMIT = 200;

/** A JSON-safe summary of a value for the trace: short strings, no functions. */
export function traceValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > TRACE_TEXT_LIMIT ? `${value.slice(0, TRACE_TEXT_LIMIT)}…` : value;
  if (typeof value === 'function') return '[function]';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value !== 'object' || value === null) return value ?? null;
  if (depth > 3) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 20).map((item) => traceValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).slice(0, 20)) out[key] = traceValue((value as Record<string, unknown>)[key], depth + 1);
  return out;
}
