/**
 * The sandbox child warms the next isolate only with a core nobody else wants: while other
 * processes keep every core busy, it does not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { aCoreIsIdle, otherRunnableTasks } from './idle-core';

let spinning: ChildProcess[] = [];
afterEach(() => {
  for (const child of spinning) child.kill('SIGKILL');
  spinning = [];
});

test("the tasks that want a core are read from /proc/loadavg's running count, less the reader", () => {
  expect(otherRunnableTasks('0.52 0.41 0.30 3/512 12345\n')).toBe(2);
  expect(otherRunnableTasks('0.00 0.00 0.00 1/90 7\n')).toBe(0);
  expect(otherRunnableTasks('')).toBeNull();
});

test('no core is idle while more processes than cores compute', async () => {
  const cores = availableParallelism();
  spinning = Array.from({ length: cores + 1 }, () => spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
  // Each spinner is runnable from its first instruction on; wait until all of them have started.
  await Promise.all(spinning.map((child) => new Promise((resolve) => child.once('spawn', resolve))));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(aCoreIsIdle(cores)).toBe(false);
});
