import { Kernel } from './kernel';
import { moduleFrom, run, runUntilFinished } from '../test/support/kernel';
import type { RunResult } from './types';

/** A program whose default export runs `body` with `sys` in scope. */
function program(body: string, prelude = ''): string {
  return `${prelude}\nexport default async function main(sys: any) {\n${body}\n}`;
}

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

/** Two threads print their name three times each: the output is the interleaving. */
const twoPrinters = program(`
  const body = async (name: string) => { for (let i = 0; i < 3; i++) await sys.print(name + i); };
  const a = await sys.thread(body, 'A');
  const b = await sys.thread(body, 'B');
  await sys.join(a);
  await sys.join(b);
`);

/** Processes, threads, a pipe, sleeps and a signal: every kind of decision a run makes. */
const busyProgram = program(`
  const [r, w] = await sys.pipe();
  await sys.signal('SIGUSR1', async () => { await sys.print('handler'); }, { restart: true });
  const pid = await sys.fork();
  if (pid === 0) {
    await sys.close(r);
    const t = await sys.thread(async () => { await sys.write(w, 'from thread;'); await sys.sleep(5); });
    await sys.write(w, 'from child;');
    await sys.kill(sys.getppid(), 'SIGUSR1');
    await sys.join(t);
    return 0;
  }
  await sys.close(w);
  let text = '';
  for (;;) { const chunk = await sys.read(r, 4); if (chunk === '') break; text += chunk; }
  await sys.print(text);
  await sys.wait();
`);

function outputs(results: RunResult[]): Set<string> {
  return new Set(results.map((result) => result.stdout));
}

describe('round robin', () => {
  test('rr runs the runnable threads in turn, in creation order, switching at every sys call', async () => {
    const result = await run(twoPrinters, { trace: true });
    // main (2:2) makes A (2:1001) and B (2:1002), then blocks in join while A and B alternate.
    expect(result.decisions).toEqual([
      '2:2', '2:2', '2:1001', '2:2', '2:1001', '2:1002', '2:2', '2:1001', '2:1002', '2:1001', '2:1002', '2:2', '2:1002', '2:2',
    ]);
    expect(result.stdout).toBe('A0\nA1\nB0\nA2\nB1\nB2\n');
  });

  test('rr is the default strategy and always gives the same run', async () => {
    const first = await run(busyProgram, { trace: true });
    const second = await run(busyProgram, { trace: true, schedule: 'rr', seed: 99 });
    expect(first.strategy).toBe('rr');
    expect(second.trace).toEqual(first.trace);
    expect(second.decisions).toEqual(first.decisions);
  });
});

describe('seeded exploration', () => {
  test.each(['random', 'pct'] as const)('%s with the same seed gives the identical run', async (schedule) => {
    for (const seed of [1, 7, 42]) {
      const first = await run(busyProgram, { schedule, seed, trace: true });
      const second = await run(busyProgram, { schedule, seed, trace: true });
      expect(first.status).toBe('ok');
      expect(second).toEqual(first);
    }
  });

  test('random with different seeds gives different interleavings of a racy program', async () => {
    const results = await Promise.all(SEEDS.map((seed) => run(twoPrinters, { schedule: 'random', seed })));
    expect(outputs(results).size).toBeGreaterThan(3);
    expect(new Set(results.map((result) => result.decisions.join(' '))).size).toBeGreaterThan(3);
  });

  test('pct with different seeds gives different interleavings of a racy program', async () => {
    const results = await Promise.all(SEEDS.map((seed) => run(twoPrinters, { schedule: 'pct', seed })));
    expect(outputs(results).size).toBeGreaterThan(1);
  });

  test('turning the trace on does not change the run', async () => {
    for (const schedule of ['random', 'pct'] as const) {
      const traced = await run(busyProgram, { schedule, seed: 9, trace: true });
      const plain = await run(busyProgram, { schedule, seed: 9 });
      expect(plain.decisions).toEqual(traced.decisions);
      expect(plain.stdout).toBe(traced.stdout);
    }
  });

  test('a run reports the strategy and seed it used', async () => {
    const result = await run(twoPrinters, { schedule: 'pct', seed: 12 });
    expect(result).toMatchObject({ strategy: 'pct', seed: 12 });
  });

  test.each(['random', 'pct'] as const)('replaying the decisions of a %s run reproduces its exact trace', async (schedule) => {
    for (const seed of [3, 11, 25]) {
      const original = await run(busyProgram, { schedule, seed, trace: true });
      const replayed = await run(busyProgram, { schedule: 'replay', decisions: original.decisions, seed, trace: true });
      expect(replayed.strategy).toBe('replay');
      expect(replayed.trace).toEqual(original.trace);
      expect(replayed.decisions).toEqual(original.decisions);
      expect(replayed.stdout).toBe(original.stdout);
      expect(replayed.processes).toEqual(original.processes);
    }
  });

  test('a run that forks after thousands of steps replays exactly, after other runs have filled its logs\' memory again', async () => {
    // Over 3,000 steps before the fork: the child replays a history kept in several chunks, and the decisions span chunks too.
    const lateFork = program(`
      const [r, w] = await sys.pipe();
      for (let i = 0; i < 1500; i++) { await sys.write(w, 'a'); await sys.read(r, 1); }
      const pid = await sys.fork();
      if (pid === 0) { await sys.write(w, 'z'); await sys.print('child ' + sys.getpid()); return 0; }
      await sys.wait();
      await sys.print('parent ' + (await sys.read(r, 1)));
    `);
    const original = await run(lateFork, { schedule: 'random', seed: 7, trace: true, maxSteps: 10_000 });
    expect(original.stdout.split('\n').sort()).toEqual(['', 'child 3', 'parent z']);
    await Promise.all(SEEDS.map((seed) => run(busyProgram, { schedule: 'random', seed })));
    const replayed = await run(lateFork, { schedule: 'replay', decisions: original.decisions, seed: 7, trace: true, maxSteps: 10_000 });
    expect(replayed.trace).toEqual(original.trace);
    expect(replayed.decisions).toEqual(original.decisions);
    expect(replayed.stdout).toBe(original.stdout);
  });

  test('a finished run gives the same result however often it is asked, after its logs\' memory went back', async () => {
    const kernel = new Kernel({ schedule: 'random', seed: 5, programs: [{ module: moduleFrom(busyProgram) }] });
    const first = await runUntilFinished(kernel, () => kernel.result());
    expect(first.decisions.length).toBeGreaterThan(10);
    expect(kernel.result()).toEqual(first);
  });

  test('replaying a run whose interleaving rr never produces gives that interleaving again', async () => {
    const rr = await run(twoPrinters);
    const different = (await Promise.all(SEEDS.map((seed) => run(twoPrinters, { schedule: 'random', seed, trace: true }))))
      .find((result) => result.stdout !== rr.stdout)!;
    expect(different).toBeDefined();
    const replayed = await run(twoPrinters, { schedule: 'replay', decisions: different.decisions, trace: true });
    expect(replayed.stdout).toBe(different.stdout);
    expect(replayed.trace).toEqual(different.trace);
  });

  /**
   * An order violation: the worker must see `ready`, which main sets one step
   * after starting it. Round robin always lets main get there first; a schedule
   * that runs the worker ahead shows the bug.
   */
  const orderBug = program(`
    const worker = async () => {
      await sys.yield();
      await sys.yield();
      await sys.print(ready ? 'ordered' : 'BUG: worker ran before ready was set');
    };
    const tid = await sys.thread(worker);
    await sys.yield();
    ready = true;
    await sys.join(tid);
  `, 'let ready = false;');

  test('an ordering bug that rr never shows is found by PCT with depth 2 or 3', async () => {
    expect((await run(orderBug)).stdout).toBe('ordered\n');
    for (const pctDepth of [2, 3]) {
      const results = await Promise.all(SEEDS.map((seed) => run(orderBug, { schedule: 'pct', seed, pctDepth, pctSteps: 10 })));
      expect(outputs(results)).toEqual(new Set(['ordered\n', 'BUG: worker ran before ready was set\n']));
    }
  });

  test('a lost update that rr never shows is found by PCT', async () => {
    const lostUpdate = program(`
      const add = async (times: number) => {
        for (let i = 0; i < times; i++) { const seen = total; await sys.yield(); await sys.yield(); total = seen + 1; }
      };
      const a = await sys.thread(add, 1);
      await sys.yield();
      await sys.yield();
      await sys.yield();
      const b = await sys.thread(add, 1);
      await sys.join(a);
      await sys.join(b);
      await sys.print(total);
    `, 'let total = 0;');
    expect((await run(lostUpdate)).stdout).toBe('2\n');
    const results = await Promise.all(SEEDS.map((seed) => run(lostUpdate, { schedule: 'pct', seed, pctDepth: 2, pctSteps: 12 })));
    expect(outputs(results).has('1\n')).toBe(true);
  });
});

describe('PCT and busy waiting', () => {
  it('a thread spinning on a shared cell does not starve the thread it waits for', async () => {
    const spinner = program(`
      const flag = await sys.shmat(await sys.shmget('flag', 1));
      if (await sys.fork() === 0) {
        while ((await flag.load(0)) === 0) {}
        await sys.print('released');
        return 0;
      }
      for (let i = 0; i < 5; i++) await sys.yield();
      await flag.store(0, 1);
      await sys.wait();
    `);
    for (const seed of SEEDS) {
      const result = await run(spinner, { schedule: 'pct', seed, pctDepth: 3, pctSteps: 40, maxSteps: 5000 });
      expect({ seed, status: result.status, stdout: result.stdout }).toEqual({ seed, status: 'ok', stdout: 'released\n' });
    }
  });
});

describe('the trace', () => {
  it('keeps the last 20,000 entries of a very long run and says how many it dropped', async () => {
    const result = await run(program('for (;;) await sys.yield();'), { trace: true, maxSteps: 50_000 });
    expect(result.status).toBe('step-limit');
    expect(result.trace).toHaveLength(20_000);
    expect(result.traceDropped).toBe(30_000);
    expect(result.trace![result.trace!.length - 1].step).toBe(50_000);
  });

  test('the trace has one entry per scheduling decision, naming the thread chosen', async () => {
    const result = await run(busyProgram, { schedule: 'random', seed: 5, trace: true });
    const trace = result.trace!;
    expect(trace).toHaveLength(result.decisions.length);
    // A decision may add the count its I/O moved ('2:2@3'); the trace names the thread alone.
    expect(trace.map((entry) => entry.thread)).toEqual(result.decisions.map((decision) => decision.split('@')[0]));
    expect(trace.map((entry) => entry.step)).toEqual(trace.map((_, i) => i + 1));
    expect(result.steps).toBe(trace.length);
  });

  test('each trace entry gives the call and its arguments, then its result, its error or why it blocked', async () => {
    const result = await run(program(`
      const [r, w] = await sys.pipe();
      try { await sys.close(99); } catch (e) {}
      await sys.sleep(25);
      await sys.write(w, 'hi');
      await sys.read(r, 10);
    `), { trace: true });
    const trace = result.trace!.map(({ thread, call, args, result: value, error, blocked, simTimeMs }) =>
      ({ thread, call, args, result: value, error, blocked, simTimeMs }));
    expect(trace).toEqual([
      { thread: '2:2', call: 'start', args: [], simTimeMs: 0, result: undefined, error: undefined, blocked: undefined },
      { thread: '2:2', call: 'pipe', args: [], simTimeMs: 0, result: [3, 4], error: undefined, blocked: undefined },
      { thread: '2:2', call: 'close', args: [99], simTimeMs: 0, result: undefined, error: expect.stringContaining('EBADF'), blocked: undefined },
      { thread: '2:2', call: 'sleep', args: [25], simTimeMs: 0, result: undefined, error: undefined, blocked: 'sleeping until 25 ms' },
      { thread: '2:2', call: 'sleep', args: [25], simTimeMs: 25, result: null, error: undefined, blocked: undefined },
      { thread: '2:2', call: 'write', args: [4, 'hi'], simTimeMs: 25, result: 2, error: undefined, blocked: undefined },
      { thread: '2:2', call: 'read', args: [3, 10], simTimeMs: 25, result: 'hi', error: undefined, blocked: undefined },
    ]);
  });

  test('a signal handler starting is a step of its own in the trace', async () => {
    const result = await run(program(`
      await sys.signal('SIGUSR1', async () => {});
      await sys.kill(sys.getpid(), 'SIGUSR1');
      await sys.yield();
    `), { trace: true });
    expect(result.trace!.map((entry) => entry.call)).toEqual(['start', 'signal', 'kill', 'signal-handler', 'yield']);
    expect(result.trace![3].args).toEqual(['SIGUSR1']);
    expect(result.decisions).toHaveLength(5);
  });

  test('without trace: true the trace is null but the decisions are kept', async () => {
    const result = await run(twoPrinters);
    expect(result.trace).toBeNull();
    expect(result.decisions.length).toBe(result.steps);
  });
});

describe('I/O counts are scheduling decisions', () => {
  /** A child writes `message` in one call; the parent reads once with room for all of it, as the buggy reader of pipe-message does. */
  const oneRead = program(`
    const [r, w] = await sys.pipe();
    if (await sys.fork() === 0) { await sys.write(w, 'hello world'); return 0; }
    await sys.close(w);
    await sys.wait();
    await sys.print(await sys.read(r, 64));
  `);

  test('round robin reads everything available, as before', async () => {
    expect((await run(oneRead)).stdout).toBe('hello world\n');
  });

  test('under random and pct a read may return any count from 1 to what is available', async () => {
    for (const schedule of ['random', 'pct'] as const) {
      const results = await Promise.all(SEEDS.map((seed) => run(oneRead, { schedule, seed })));
      const lengths = new Set(results.map((result) => result.stdout.length - 1));
      expect(lengths.has(11)).toBe(true);
      expect([...lengths].some((length) => length >= 1 && length < 11)).toBe(true);
      expect([...lengths].every((length) => length >= 1 && length <= 11)).toBe(true);
    }
  });

  test('a short read is recorded in the decisions, and replaying them repeats it', async () => {
    const results = await Promise.all(SEEDS.map((seed) => run(oneRead, { schedule: 'random', seed })));
    const short = results.find((result) => result.stdout !== 'hello world\n')!;
    const counted = short.decisions.filter((decision) => decision.includes('@'));
    expect(counted.length).toBeGreaterThan(0);
    const replayed = await run(oneRead, { schedule: 'replay', decisions: short.decisions, seed: short.seed });
    expect(replayed.stdout).toBe(short.stdout);
    expect(replayed.decisions).toEqual(short.decisions);
  });

  /** Two children each write 20 characters (more than PIPE_BUF, 16) into one pipe; the parent prints what arrived. */
  const twoWriters = (length: number): string => program(`
    const [r, w] = await sys.pipe();
    for (const letter of ['a', 'b']) if (await sys.fork() === 0) { await sys.write(w, letter.repeat(${length})); return 0; }
    await sys.close(w);
    let text = '';
    for (let chunk = await sys.read(r, 100); chunk !== ''; chunk = await sys.read(r, 100)) text += chunk;
    await sys.wait(); await sys.wait();
    await sys.print(text);
  `);
  const interleaved = (stdout: string): boolean => !/^(a+b+|b+a+)\n$/.test(stdout);

  test('a write longer than PIPE_BUF may be split at any point, and another writer comes between its pieces', async () => {
    expect(interleaved((await run(twoWriters(20))).stdout)).toBe(false);
    const results = await Promise.all(SEEDS.map((seed) => run(twoWriters(20), { schedule: 'random', seed })));
    expect(results.some((result) => interleaved(result.stdout))).toBe(true);
    const split = results.find((result) => interleaved(result.stdout))!;
    const replayed = await run(twoWriters(20), { schedule: 'replay', decisions: split.decisions, seed: split.seed });
    expect(replayed.stdout).toBe(split.stdout);
  });

  test('a write of at most PIPE_BUF characters is never split', async () => {
    const results = await Promise.all(SEEDS.map((seed) => run(twoWriters(16), { schedule: 'random', seed })));
    expect(results.filter((result) => interleaved(result.stdout))).toEqual([]);
  });

  test('a stream socket send may be split and its recv cut, each recorded and replayed', async () => {
    const talk = program(`
      const [a, b] = await sys.socketpair();
      if (await sys.fork() === 0) { await sys.close(a); await sys.write(b, 'x'.repeat(30)); return 0; }
      await sys.close(b);
      const sizes = [];
      for (let chunk = await sys.read(a, 100); chunk !== ''; chunk = await sys.read(a, 100)) sizes.push(chunk.length);
      await sys.wait();
      await sys.print(sizes.join(','));
    `);
    const results = await Promise.all(SEEDS.map((seed) => run(talk, { schedule: 'random', seed })));
    expect(new Set(results.map((result) => result.stdout)).size).toBeGreaterThan(1);
    for (const result of results.slice(0, 5)) {
      const replayed = await run(talk, { schedule: 'replay', decisions: result.decisions, seed: result.seed });
      expect(replayed.stdout).toBe(result.stdout);
    }
  });
});

describe('replay without preemption (for the preemption-bounded search)', () => {
  test('past its decisions it keeps running the last thread until that one blocks or yields', async () => {
    const result = await run(twoPrinters, { schedule: 'replay', decisions: [], afterReplay: 'nonpreemptive' });
    // Each printer yields nothing, so it prints all three lines before the other starts.
    expect(result.stdout).toBe('A0\nA1\nA2\nB0\nB1\nB2\n');
    expect((await run(twoPrinters)).stdout).not.toBe(result.stdout);
  });

  test('a thread that spins gives way after a few steps, so a busy wait still ends', async () => {
    const spinner = program(`
      const flag = await sys.shmat(await sys.shmget('flag', 1));
      const waiter = await sys.thread(async () => { while ((await flag.load(0)) === 0) {} await sys.print('released'); });
      const setter = await sys.thread(async () => { await flag.store(0, 1); });
      await sys.join(waiter);
      await sys.join(setter);
    `);
    const result = await run(spinner, { schedule: 'replay', decisions: [], afterReplay: 'nonpreemptive', recordChoices: 'runnable', maxSteps: 1000 });
    expect(result).toMatchObject({ status: 'ok', stdout: 'released\n' });
    // Where the spinner gave way, the choice says so: spinning on is no new schedule.
    expect(result.choices!.some((choice) => choice.spinning !== undefined)).toBe(true);
  });
});
