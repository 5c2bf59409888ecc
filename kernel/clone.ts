/** Objects the kernel hands out (semaphore tokens, segments): shared as they are, never copied. */
const kernelHandles = new WeakSet<object>();

export function markKernelHandle<T extends object>(handle: T): T {
  kernelHandles.add(handle);
  return handle;
}

/** Proxies the program made (the sandbox's Proxy constructor reports each one): never read, so no trap runs. */
const programProxies = new WeakSet<object>();

export function markProgramProxy<T extends object>(proxy: T): T {
  programProxies.add(proxy);
  return proxy;
}

/** How deep a value passed to the kernel may nest. */
const MAX_DEPTH = 64;

/** A value the kernel will not copy; the message is the sentence the caller's EINVAL carries. */
export class Uncopyable extends Error {}

// Captured when the kernel loads, before any program runs: a program may shadow a method on its own
// object (a typed array's slice, a Map's iterator), never these.
const { apply, getOwnPropertyDescriptor, getPrototypeOf, ownKeys, defineProperty } = Reflect;
const isArray = Array.isArray;
const ObjectPrototype = Object.prototype;
const getterOf = (prototype: object, key: PropertyKey): (() => unknown) => getOwnPropertyDescriptor(prototype, key)!.get!;
const mapSize = getterOf(Map.prototype, 'size');
const mapForEach = Map.prototype.forEach;
const setSize = getterOf(Set.prototype, 'size');
const setForEach = Set.prototype.forEach;
const dateTime = Date.prototype.getTime;
const RealDate = Date;
const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayName = getterOf(TypedArrayPrototype, Symbol.toStringTag) as () => string | undefined;
const typedArrayLength = getterOf(TypedArrayPrototype, 'length') as () => number;
const typedArraySet = (TypedArrayPrototype as Uint8Array).set;
type TypedArrayConstructor = new (length: number) => Uint8Array;
const TYPED_ARRAYS: Record<string, TypedArrayConstructor> = Object.freeze({
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
} as unknown as Record<string, TypedArrayConstructor>);

/** Whether `getter` (a built-in's brand-checked accessor) accepts `value`: a real Map, Set, ... and not a look-alike. */
function branded(getter: () => unknown, value: object): boolean {
  try {
    apply(getter, value, []);
    return true;
  } catch {
    return false;
  }
}

/**
 * Values crossing between processes (arguments, messages, results) are copied,
 * as structured clone would: a receiver can never reach the sender's objects,
 * and the copy is the kernel's own plain data, so no getter, proxy trap or
 * method of the program ever runs later inside a kernel step. The copy reads
 * only own data properties through intrinsics captured above; a proxy, an
 * accessor or a typed array with properties of its own is refused (Uncopyable),
 * as is nesting deeper than MAX_DEPTH. Kernel handles are shared as they are;
 * functions pass as they are (a message refuses them before it gets here).
 */
export function cloneForDelivery<T>(value: T): T {
  if (typeof value !== 'object' || value === null || kernelHandles.has(value)) return value;
  return copy(value, null, 0) as T;
}

/**
 * The copies made so far, by original: shared and cyclic values stay so. Null while only the
 * top-level value is being copied; made when it first holds an object, so copying flat data
 * (a pipe's pair of fds, a message of numbers), most of what crosses, makes no Map.
 */
type Seen = Map<object, unknown> | null;

/** `seen` for copying `child`, a part of `parent` (whose copy is `parentCopy`). */
function seenFor(child: unknown, seen: Seen, parent: object, parentCopy: unknown): Seen {
  if (seen !== null || typeof child !== 'object' || child === null) return seen;
  return new Map<object, unknown>([[parent, parentCopy]]);
}

function copy(value: unknown, given: Seen, depth: number): unknown {
  if (typeof value !== 'object' || value === null || kernelHandles.has(value)) return value;
  if (programProxies.has(value)) throw new Uncopyable('a Proxy cannot be passed to the kernel: pass plain data');
  if (depth > MAX_DEPTH) throw new Uncopyable(`an argument nests more than ${MAX_DEPTH} levels deep`);
  let seen = given;
  const known = seen?.get(value);
  if (known !== undefined) return known;
  const inner = depth + 1;
  if (isArray(value)) {
    const out: unknown[] = [];
    seen?.set(value, out);
    const length = value.length;
    for (let index = 0; index < length; index++) {
      const item = ownData(value, index);
      seen = seenFor(item, seen, value, out);
      out.push(copy(item, seen, inner));
    }
    return out;
  }
  const prototype = getPrototypeOf(value);
  if (prototype !== ObjectPrototype && prototype !== null) {
    if (branded(mapSize, value)) {
      const out = new Map();
      const all = seen ?? new Map<object, unknown>();
      all.set(value, out);
      apply(mapForEach, value, [(v: unknown, k: unknown) => out.set(copy(k, all, inner), copy(v, all, inner))]);
      return out;
    }
    if (branded(setSize, value)) {
      const out = new Set();
      const all = seen ?? new Map<object, unknown>();
      all.set(value, out);
      apply(setForEach, value, [(v: unknown) => out.add(copy(v, all, inner))]);
      return out;
    }
    if (branded(dateTime, value)) return new RealDate(apply(dateTime, value, []) as number);
    const typedArray = apply(typedArrayName, value, []);
    if (typedArray !== undefined) return copyTypedArray(value as Uint8Array, typedArray);
  }
  const out: Record<string, unknown> = {};
  seen?.set(value, out);
  for (const key of ownKeys(value)) {
    if (typeof key !== 'string') continue;
    const descriptor = getOwnPropertyDescriptor(value, key)!;
    if (!descriptor.enumerable) continue;
    const data = dataOf(descriptor, key);
    seen = seenFor(data, seen, value, out);
    const item = copy(data, seen, inner);
    // A key named __proto__ is data here, not the copy's prototype.
    if (key === '__proto__') defineProperty(out, key, { value: item, writable: true, enumerable: true, configurable: true });
    else out[key] = item;
  }
  return out;
}

/** A property's value, read without running the program's code. */
function ownData(value: object, key: PropertyKey): unknown {
  const descriptor = getOwnPropertyDescriptor(value, key);
  return descriptor === undefined ? undefined : dataOf(descriptor, key);
}

function dataOf(descriptor: PropertyDescriptor, key: PropertyKey): unknown {
  if (descriptor.get || descriptor.set) throw new Uncopyable(`property '${String(key)}' has a getter or setter: pass plain data`);
  return descriptor.value;
}

/** A typed array's elements in a new array of its kind, made with the built-ins rather than its own methods. */
function copyTypedArray(value: Uint8Array, name: string): Uint8Array {
  const length = apply(typedArrayLength, value, []) as number;
  if (ownKeys(value).length !== length) throw new Uncopyable(`this ${name} has properties of its own: pass plain data`);
  const out = new TYPED_ARRAYS[name](length);
  apply(typedArraySet, out, [value]);
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
