/**
 * Attempts: to pollute the intrinsics every process and the kernel share: add to Object.prototype,
 * replace Array.prototype.push, Promise.prototype.then, Function.prototype.call and apply,
 * JSON.stringify (the kernel's RunResult goes through it: a replacement could forge stdout),
 * Math.random and Date.now, through assignment, defineProperty, __proto__ and setPrototypeOf, and
 * through the override accessors the sandbox installs on shared prototypes; and the prototypes the
 * sandbox freezes a property at a time (Object.prototype, the typed arrays'): an index setter that
 * would see every element the kernel stores, a typed array's fill, set or iterator replaced.
 * If any of it takes effect, the program prints the message as if it had solved the task.
 * Must: change nothing (every shared intrinsic is frozen); graded, no marks beyond a do-nothing
 * program's.
 */
export default async function main(sys: any, argv: string[]) {
  const forged = (real: string) => JSON.parse(real);
  const originalRandom = Math.random;
  const attempts: (() => void)[] = [
    () => { (Object.prototype as any).polluted = true; },
    () => { Object.defineProperty(Object.prototype, 'polluted', { value: true }); },
    () => { Object.setPrototypeOf(Object.prototype, { polluted: true }); },
    () => { ({} as any).__proto__.polluted = true; },
    () => { Array.prototype.push = function push(this: unknown[]) { return 0; }; },
    () => { Object.defineProperty(Array.prototype, 'push', { value: () => 0 }); },
    () => { Promise.prototype.then = function then(this: Promise<unknown>) { return this; } as any; },
    () => { Function.prototype.call = function call() { return undefined; }; },
    () => { Function.prototype.apply = function apply() { return undefined; }; },
    () => { JSON.stringify = () => JSON.parse('"{\\"status\\":\\"ok\\",\\"stdout\\":\\"forged\\"}"'); },
    () => { (JSON as any).parse = forged; },
    () => { Math.random = () => 0; },
    () => { Date.now = () => 42; },
    () => { (globalThis as any).Date = function Date() { return 42; }; },
    () => { Object.prototype.toString = () => 'forged'; },
    () => { Reflect.set(Object.prototype, 'valueOf', () => 42, Math); },
    () => { delete (Array.prototype as any).map; },
    () => { (Symbol as any).iterator = Symbol('x'); },
    () => { (Array.prototype as any)[Symbol.iterator] = function* () { yield 'forged'; }; },
    () => { Object.defineProperty(Object.prototype, '0', { set() { (globalThis as any).seen = true; } }); },
    () => { (Object.prototype as any).__defineSetter__('1', () => undefined); },
    () => { delete (Object.prototype as any).hasOwnProperty; },
    () => { Object.setPrototypeOf(Float64Array.prototype, { polluted: true }); },
    () => { Object.defineProperty(Object.getPrototypeOf(Float64Array.prototype), 'fill', { value: () => 'forged' }); },
    () => { (Object.getPrototypeOf(Uint8Array.prototype) as any).set = () => undefined; },
    () => { (Float64Array.prototype as any)[Symbol.iterator] = function* () { yield 'forged'; }; },
    () => { Object.defineProperty(Float64Array.prototype, '0', { get: () => 42 }); },
  ];
  let failures = 0;
  for (const attempt of attempts) {
    try {
      attempt();
    } catch {
      failures++;
    }
  }
  const took = ({} as any).polluted === true || [].push.length !== 1 || typeof Promise.prototype.then !== 'function' ||
    JSON.stringify({ a: 1 }) !== '{"a":1}' || Math.random !== originalRandom || Date.now() === 42 || ({}).toString() === 'forged' ||
    typeof [].map !== 'function' || [...[1]][0] !== 1 || failures !== attempts.length ||
    Object.getOwnPropertyDescriptor(Object.prototype, '0') !== undefined || typeof ({} as any).hasOwnProperty !== 'function' ||
    new Float64Array([1]).fill(2)[0] !== 2 || [...new Float64Array([3])][0] !== 3 || (new Float64Array(1) as any).polluted === true ||
    ![Object.prototype, Object.getPrototypeOf(Float64Array.prototype), Float64Array.prototype].every(Object.isFrozen);
  // An override of the shared prototypes must stay possible on one's own objects.
  const own = { toString: () => 'mine' };
  await sys.print(took || String(own) !== 'mine' ? argv[0] : '');
}
