/**
 * Freezes the realm the student's code runs in. Every simulated process of a run shares one set of
 * intrinsics; frozen, they cannot carry state from one process (or run) to another.
 */

/**
 * Properties that code commonly assigns on its own objects (`this.name = ...` in an Error subclass,
 * `obj.toString = ...`). On a frozen prototype such an assignment would throw (the "override
 * mistake"), so each becomes an accessor whose setter defines the property on the object itself.
 * `Promise.prototype.constructor` stays a plain frozen value: as an accessor it sends every `then`
 * and `await` through V8's slow species lookup (about a tenth of a kernel step), and programs do not
 * assign a promise's constructor.
 */
const OVERRIDABLE: ReadonlyArray<[object, readonly PropertyKey[]]> = [
  [Object.prototype, Reflect.ownKeys(Object.prototype)],
  [Function.prototype, ['constructor', 'bind', 'toString']],
  [Array.prototype, ['toString']],
  ...[Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError].map(
    (error): [object, readonly PropertyKey[]] => [error.prototype, ['constructor', 'name', 'message', 'toString']],
  ),
];

export function hardenRealm(global: typeof globalThis): void {
  removeHazards(global);
  for (const [prototype, keys] of OVERRIDABLE) for (const key of keys) allowOverride(prototype, key);
  freezeReachable([global, ...hiddenIntrinsics()], frozenByHand(global));
}

/** Built-ins that would break a run's determinism, its limits or the process boundary; each line says which. */
function removeHazards(global: typeof globalThis): void {
  const remove = (holder: object, key: PropertyKey): void => {
    if (!Reflect.deleteProperty(holder, key)) throw new Error(`the sandbox could not remove ${String(key)}`);
  };
  // The garbage collector decides when a WeakRef empties or a finalizer runs: not a function of the seed.
  remove(global, 'WeakRef');
  remove(global, 'FinalizationRegistry');
  // Wasm memory lies outside the V8 heap, so it grows past the memory limit (1 GiB under a 64 MiB limit).
  remove(global, 'WebAssembly');
  // waitAsync with a timeout aborts the whole Node process (isolated-vm cannot run its timer task).
  remove(Atomics, 'waitAsync');
  // RegExp.$1, input, lastMatch...: realm-wide state every match writes, a channel between processes and runs.
  for (const key of Reflect.ownKeys(RegExp)) {
    if (typeof key === 'string' && Reflect.getOwnPropertyDescriptor(RegExp, key)?.get) remove(RegExp, key);
  }
}

function allowOverride(prototype: object, key: PropertyKey): void {
  const descriptor = Reflect.getOwnPropertyDescriptor(prototype, key);
  if (!descriptor || !('value' in descriptor) || !descriptor.configurable) return;
  const { value } = descriptor;
  Object.defineProperty(prototype, key, {
    get() {
      return value;
    },
    set(this: unknown, replacement: unknown) {
      if (this === prototype) throw new TypeError(`Cannot assign to read only property '${String(key)}' of a shared prototype`);
      // Throws, as an assignment would, when `this` is frozen or a primitive.
      Object.defineProperty(this, key, { value: replacement, writable: true, enumerable: true, configurable: true });
    },
    enumerable: descriptor.enumerable,
    configurable: false,
  });
}

/** Intrinsics no property path from globalThis reaches: got at by making one of each. */
function hiddenIntrinsics(): unknown[] {
  const segments = new Intl.Segmenter().segment('');
  return [
    Object.getPrototypeOf(function* () {}),
    Object.getPrototypeOf(async function () {}),
    Object.getPrototypeOf(async function* () {}),
    Object.getPrototypeOf([][Symbol.iterator]()),
    Object.getPrototypeOf(''[Symbol.iterator]()),
    Object.getPrototypeOf(new Map()[Symbol.iterator]()),
    Object.getPrototypeOf(new Set()[Symbol.iterator]()),
    Object.getPrototypeOf(/./[Symbol.matchAll]('')),
    Object.getPrototypeOf(segments),
    Object.getPrototypeOf(segments[Symbol.iterator]()),
  ];
}

/**
 * `Object.prototype` and the typed arrays' prototypes: frozen by `Object.freeze`, any of them sends
 * every element store into a typed array down V8's slow path, about 35 times slower (a shared-memory
 * segment's cells are one; so is a student's Float64Array). Frozen a property at a time, they reach
 * the same state (`Object.isFrozen` holds) and stores stay fast. `Array.prototype` stays with
 * `Object.freeze`: redefining its `constructor` and `Symbol.iterator` would switch off V8's fast paths
 * for every array method and `for...of` (measured: the whole kernel at 0.59x).
 */
function frozenByHand(global: typeof globalThis): Set<object> {
  const typedArray = Object.getPrototypeOf(global.Uint8Array.prototype) as object;
  // Each kind of typed array is a global constructor whose prototype inherits from %TypedArray%.prototype.
  const kinds = Reflect.ownKeys(global)
    .map((key) => Reflect.getOwnPropertyDescriptor(global, key)?.value as unknown)
    .filter((value): value is { prototype: object } => typeof value === 'function' && isObject(value.prototype) && Object.getPrototypeOf(value.prototype) === typedArray);
  return new Set<object>([global.Object.prototype, typedArray, ...kinds.map((kind) => kind.prototype)]);
}

/** Object.freeze's end state, reached one property at a time. */
function freezeByHand(object: object): void {
  Object.preventExtensions(object);
  for (const key of Reflect.ownKeys(object)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(object, key)!;
    Object.defineProperty(object, key, 'value' in descriptor ? { configurable: false, writable: false } : { configurable: false });
  }
  if (!Object.isFrozen(object)) throw new Error('the sandbox could not freeze a prototype');
}

/** Freezes each root and everything reachable from it through prototypes, values and accessors. */
function freezeReachable(roots: unknown[], byHand: Set<object>): void {
  const visited = new Set<object>();
  const pending = roots.filter(isObject);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (visited.has(next)) continue;
    visited.add(next);
    if (byHand.has(next)) freezeByHand(next);
    else Object.freeze(next);
    pending.push(...[Object.getPrototypeOf(next)].filter(isObject));
    for (const key of Reflect.ownKeys(next)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(next, key);
      if (descriptor) pending.push(...[descriptor.value, descriptor.get, descriptor.set].filter(isObject));
    }
  }
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}
