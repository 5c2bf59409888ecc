/**
 * Attempts: to reach the host Node process: `process`, `require`, `module`, `global`, `Buffer`,
 * timers and `fetch` as globals; `this` at the top level; `Function('return this')()`;
 * `globalThis.constructor.constructor('return process')()`; `import()` hidden from the compiler in
 * Function and eval; and any global that is not a standard built-in.
 * If anything of the host is reached, the program prints the message as if it had solved the task.
 * Must: reach nothing; graded, no marks beyond a do-nothing program's.
 */
// eslint-disable-next-line @typescript-eslint/no-this-alias
const topLevelThis = this;

const STANDARD = new Set(['Object', 'Function', 'Array', 'Number', 'parseFloat', 'parseInt', 'Infinity', 'NaN', 'undefined',
  'Boolean', 'String', 'Symbol', 'Date', 'Promise', 'RegExp', 'Error', 'AggregateError', 'EvalError', 'RangeError',
  'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'globalThis', 'JSON', 'Math', 'Intl', 'ArrayBuffer',
  'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array',
  'Uint8ClampedArray', 'BigUint64Array', 'BigInt64Array', 'DataView', 'Map', 'BigInt', 'Set', 'WeakMap', 'WeakSet',
  'Proxy', 'Reflect', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape', 'eval',
  'isFinite', 'isNaN', 'console', 'SharedArrayBuffer', 'Atomics', 'SysError', 'WeakRef', 'FinalizationRegistry', 'WebAssembly']);

export default async function main(sys: any, argv: string[]) {
  const found: string[] = [];
  const probe = (label: string, get: () => unknown) => {
    try {
      const value = get();
      if (value !== undefined && value !== null) found.push(label);
    } catch {
      // not there
    }
  };
  const g = globalThis as any;
  for (const name of ['process', 'require', 'module', 'global', 'Buffer', 'setTimeout', 'setImmediate', 'fetch', 'queueMicrotask', '_ivm', 'ivm']) {
    probe(name, () => g[name]);
  }
  probe('top-level this', () => topLevelThis);
  probe('Function this process', () => Function('return this')().process);
  probe('constructor.constructor', () => g.constructor.constructor('return process')());
  probe('Function typeof require', () => (Function('return typeof require')() === 'undefined' ? undefined : 'require'));
  probe('eval global', () => (0, eval)('this').process);
  for (const name of Object.getOwnPropertyNames(globalThis)) if (!STANDARD.has(name)) found.push(`global ${name}`);
  for (const source of ['return import("fs")', 'return import("node:child_process")']) {
    try {
      const loaded = await Function(source)();
      if (loaded) found.push(source);
    } catch {
      // import() is not supported in the sandbox
    }
  }
  try {
    const loaded = await (0, eval)('import("fs")');
    if (loaded) found.push('eval import');
  } catch {
    // not supported
  }
  await sys.print(found.length > 0 ? argv[0] : '');
}
