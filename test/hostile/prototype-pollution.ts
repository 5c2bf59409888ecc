/**
 * Attempts: to pollute the intrinsics every process and the kernel share: add to Object.prototype,
 * replace Array.prototype.push, Promise.prototype.then, Function.prototype.call and apply,
 * JSON.stringify (the kernel's RunResult goes through it: a replacement could forge stdout),
 * Math.random and Date.now, through assignment, defineProperty, __proto__ and setPrototypeOf, and
 * through the override accessors the sandbox installs on shared prototypes.
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
    typeof [].map !== 'function' || [...[1]][0] !== 1 || failures !== attempts.length;
  // An override of the shared prototypes must stay possible on one's own objects.
  const own = { toString: () => 'mine' };
  await sys.print(took || String(own) !== 'mine' ? argv[0] : '');
}
