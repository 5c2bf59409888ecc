/**
 * The sandbox's watchdog counts the CPU time of the child's whole process tree, so a child that
 * computes without end is stopped by its CPU allowance however busy the machine, and one that
 * hangs without computing by the wall-time backstop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processTreeCpuMs, watch, type Overrun } from './watchdog';

let started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started) {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
  started = [];
});

function expiry(pid: number, allowance: { cpuMs: number; wallMs: number }): Promise<Overrun> {
  return new Promise((resolve) => watch(pid, allowance, resolve));
}

test("a process tree's CPU time includes what its children compute", async () => {
  const shell = spawn('/bin/sh', ['-c', `"${process.execPath}" -e 'const end = Date.now() + 10_000; while (Date.now() < end);'; true`], { stdio: 'ignore', detached: true });
  started.push(shell);
  // The shell itself computes nothing: all the tree's time is its child's.
  const why = await expiry(shell.pid!, { cpuMs: 300, wallMs: 30_000 });
  expect(why).toBe('cpu');
  expect(processTreeCpuMs(shell.pid!)).toBeGreaterThan(300);
});

test('a process tree keeps the CPU time of a child that has ended', async () => {
  const spin = 'const { user, system } = process.cpuUsage(); while (process.cpuUsage().user + process.cpuUsage().system - user - system < 500_000);';
  const shell = spawn('/bin/sh', ['-c', `"${process.execPath}" -e '${spin}'; sleep 30`], { stdio: 'ignore', detached: true });
  started.push(shell);
  // Until the spinning child has been reaped, the shell's only child is it; then it is `sleep`.
  const childrenOfShell = (): string => readFileSync(`/proc/${shell.pid}/task/${shell.pid}/children`, 'utf8').trim();
  let spinner = '';
  while (spinner === '') {
    spinner = childrenOfShell();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  while (childrenOfShell() === spinner) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(processTreeCpuMs(shell.pid!)).toBeGreaterThanOrEqual(500);
});

test('a process that computes nothing is stopped by the wall-time backstop, not by its CPU allowance', async () => {
  const sleeper = spawn('/bin/sh', ['-c', 'sleep 30'], { stdio: 'ignore', detached: true });
  started.push(sleeper);
  const why = await expiry(sleeper.pid!, { cpuMs: 100, wallMs: 1_000 });
  expect(why).toBe('wall');
  expect(processTreeCpuMs(sleeper.pid!)).toBeLessThan(100);
});

test('a process that has ended reads as no CPU time at all', async () => {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  expect(processTreeCpuMs(child.pid!)).toBeNull();
});
