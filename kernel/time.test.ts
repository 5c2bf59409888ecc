import { moduleFrom, run, runKernel } from '../test/support/kernel';

/** A program whose default export runs `body` with `sys` in scope. */
function program(body: string, prelude = ''): string {
  return `${prelude}\nexport default async function main(sys: any) {\n${body}\n}`;
}

describe('simulated time', () => {
  test('time starts at 0, and sleep(500) then now() gives 500', async () => {
    const result = await run(program(`
      const start = sys.now();
      await sys.sleep(500);
      await sys.print(start, sys.now());
    `));
    expect(result.stdout).toBe('0 500\n');
    expect(result.simTimeMs).toBe(500);
  });

  test('sleep(0) returns at once without moving the clock', async () => {
    const result = await run(program('await sys.sleep(0); await sys.print(sys.now());'));
    expect(result.stdout).toBe('0\n');
  });

  test('a busy loop of yield does not advance time, even while another thread sleeps', async () => {
    const result = await run(program(`
      const tid = await sys.thread(async () => { await sys.sleep(100); await sys.print('sleeper woke at', sys.now()); });
      for (let i = 0; i < 300; i++) await sys.yield();
      await sys.print('loop ended at', sys.now());
      await sys.join(tid);
    `));
    expect(result.stdout).toBe('loop ended at 0\nsleeper woke at 100\n');
  });

  test('a busy wait on a flag that only a sleeper sets never lets time pass and ends at the step limit', async () => {
    const result = await run(program(`
      await sys.thread(async () => { await sys.sleep(10); done = true; });
      while (!done) await sys.yield();
    `, 'let done = false;'), { maxSteps: 200 });
    expect(result.status).toBe('step-limit');
    expect(result.simTimeMs).toBe(0);
    expect(result.steps).toBe(200);
    expect(result.message).toContain('200 scheduling points');
  });

  test('sleeps in two processes end in order of their wake times', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) { await sys.sleep(300); await sys.print('child at', sys.now()); return 0; }
      await sys.sleep(100);
      await sys.print('parent at', sys.now());
      await sys.wait();
      await sys.print('parent reaped at', sys.now());
    `));
    expect(result.stdout).toBe('parent at 100\nchild at 300\nparent reaped at 300\n');
    expect(result.simTimeMs).toBe(300);
  });

  test('sleeps in two programs started together end in order of their wake times, whatever the schedule', async () => {
    const slow = moduleFrom(program(`await sys.sleep(70); await sys.print('slow', sys.now());`));
    const fast = moduleFrom(program(`await sys.sleep(20); await sys.print('fast', sys.now()); await sys.sleep(20); await sys.print('fast', sys.now());`));
    for (const seed of [1, 2, 3, 4, 5]) {
      const result = await runKernel({ programs: [{ module: slow }, { module: fast }], schedule: 'random', seed });
      expect(result.stdout).toBe('fast 20\nfast 40\nslow 70\n');
    }
  });

  test('sleep measures from when it is called, so consecutive sleeps add up', async () => {
    const result = await run(program(`
      for (const ms of [10, 20, 30]) { await sys.sleep(ms); await sys.print(sys.now()); }
    `));
    expect(result.stdout).toBe('10\n30\n60\n');
  });

  test('sleep rejects a negative or non-numeric duration with EINVAL', async () => {
    const result = await run(program(`
      for (const ms of [-1, 'soon', NaN]) {
        try { await sys.sleep(ms); } catch (e) { await sys.print(e.code, e.syscall); }
      }
    `));
    expect(result.stdout).toBe('EINVAL sleep\n'.repeat(3));
  });

  test('the clock jumps only as far as the earliest timer', async () => {
    const result = await run(program(`
      const tid = await sys.thread(async () => { await sys.sleep(1000); });
      await sys.sleep(10);
      await sys.print('main at', sys.now());
      await sys.join(tid);
      await sys.print('joined at', sys.now());
    `));
    expect(result.stdout).toBe('main at 10\njoined at 1000\n');
  });

  test('an alarm counts as a timer: a process blocked with only an alarm pending is woken by it, not deadlocked', async () => {
    const result = await run(program(`
      await sys.alarm(250);
      const [r] = await sys.pipe();
      await sys.read(r, 1);
    `));
    expect(result.status).toBe('ok');
    expect(result.simTimeMs).toBe(250);
    expect(result.processes[0]).toMatchObject({ status: null, signal: 'SIGALRM' });
  });

  test('an interrupted sleep leaves no timer behind: a later deadlock happens at the time of the interrupt', async () => {
    const result = await run(program(`
      await sys.signal('SIGUSR1', async () => {});
      if (await sys.fork() === 0) { await sys.sleep(10); await sys.kill(sys.getppid(), 'SIGUSR1'); return 0; }
      try { await sys.sleep(1000); } catch (e) { await sys.print(e.code, 'at', sys.now()); }
      await sys.wait();
      const [r] = await sys.pipe();
      await sys.read(r, 1);
    `));
    expect(result.stdout).toBe('EINTR at 10\n');
    expect(result.status).toBe('deadlock');
    expect(result.simTimeMs).toBe(10);
  });

  test('a sleeper killed by a signal leaves no timer behind', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) { await sys.sleep(1000); return 0; }
      await sys.sleep(10);
      await sys.kill(pid, 'SIGKILL');
      await sys.wait();
      const [r] = await sys.pipe();
      await sys.read(r, 1);
    `));
    expect(result.status).toBe('deadlock');
    expect(result.simTimeMs).toBe(10);
  });

  test('every thread blocked with no timer left is a deadlock, not a jump in time', async () => {
    const result = await run(program(`
      await sys.sleep(30);
      const [r] = await sys.pipe();
      await sys.read(r, 1);
    `));
    expect(result.status).toBe('deadlock');
    expect(result.simTimeMs).toBe(30);
    expect(result.deadlock!.blocked).toEqual([expect.objectContaining({ pid: 2, tid: 2, call: 'read' })]);
  });

  test('a sleeper never wakes while another thread keeps running: the run ends at the step limit', async () => {
    const result = await run(program(`
      await sys.thread(async () => { for (;;) await sys.yield(); });
      await sys.sleep(5);
      await sys.print('never: the other thread never blocks');
    `), { maxSteps: 100 });
    expect(result.status).toBe('step-limit');
    expect(result.stdout).toBe('');
  });
});

describe('limits and the call rule', () => {
  test('an endless yield loop ends with status step-limit after maxSteps scheduling points', async () => {
    const result = await run(program('for (;;) await sys.yield();'), { maxSteps: 50 });
    expect(result.status).toBe('step-limit');
    expect(result.steps).toBe(50);
    expect(result.processes[0].status).toBeNull();
  });

  test('a thread starting a second sys call before the first settles gets EINVAL saying so', async () => {
    const result = await run(program(`
      const first = sys.sleep(10);
      try { await sys.yield(); } catch (e) { await sys.print(e.code, e.syscall, e.message); }
      await first;
      await sys.print('first settled at', sys.now());
    `));
    expect(result.stdout).toBe(
      'EINVAL yield yield: this thread is still waiting for sleep(); await each sys call before starting the next (EINVAL)\n' +
      'first settled at 10\n');
  });

  test('time calls are not available when the time group is disabled, but now and yield always are', async () => {
    const result = await run(program(`
      try { await sys.sleep(1); } catch (e) { await sys.print(e.code, e.syscall); }
      try { await sys.alarm(1); } catch (e) { await sys.print(e.code, e.syscall); }
      await sys.yield();
      await sys.print(sys.now());
    `), { enable: ['proc'] });
    expect(result.stdout).toBe('ENOSYS sleep\nENOSYS alarm\n0\n');
  });
});
