import { moduleFrom, run, runKernel } from '../test/support/kernel';
import type { RunResult } from './types';

/** A program whose default export runs `body` with `sys` in scope. */
function program(body: string, prelude = ''): string {
  return `${prelude}\nexport default async function main(sys: any) {\n${body}\n}`;
}

const SEEDS = Array.from({ length: 100 }, (_, i) => i + 1);

describe('semaphores', () => {
  test('sem_getvalue reports the value; sem_wait takes a unit and sem_post returns one', async () => {
    const result = await run(program(`
      const s = await sys.sem_init(2);
      const values = [await sys.sem_getvalue(s)];
      await sys.sem_wait(s);
      values.push(await sys.sem_getvalue(s));
      await sys.sem_post(s);
      await sys.sem_post(s);
      values.push(await sys.sem_getvalue(s));
      await sys.print(values.join(' '));
    `));
    expect(result.stdout).toBe('2 1 3\n');
  });

  test('sem_trywait takes a unit when there is one and rejects with EAGAIN at 0', async () => {
    const result = await run(program(`
      const s = await sys.sem_init(1);
      await sys.sem_trywait(s);
      try { await sys.sem_trywait(s); } catch (e) { await sys.print(e.code, e.syscall); }
      await sys.print(await sys.sem_getvalue(s));
    `));
    expect(result.stdout).toBe('EAGAIN sem_trywait\n0\n');
  });

  test('sem_wait at 0 blocks until another thread posts', async () => {
    const result = await run(program(`
      const s = await sys.sem_init(0);
      const tid = await sys.thread(async () => { await sys.sleep(30); await sys.print('post at', sys.now()); await sys.sem_post(s); });
      await sys.sem_wait(s);
      await sys.print('waited until', sys.now());
      await sys.join(tid);
    `));
    expect(result.stdout).toBe('post at 30\nwaited until 30\n');
  });

  test('an unnamed semaphore is shared with children forked after sem_init', async () => {
    const result = await run(program(`
      const s = await sys.sem_init(0);
      const pid = await sys.fork();
      if (pid === 0) { await sys.sleep(20); await sys.print('child posts'); await sys.sem_post(s); return 0; }
      await sys.sem_wait(s);
      await sys.print('parent woke at', sys.now());
      await sys.wait();
    `));
    expect(result.stdout).toBe('child posts\nparent woke at 20\n');
  });

  test('sem_open with one name gives every process the same semaphore; the first opener sets the value', async () => {
    const waiter = moduleFrom(program(`
      const s = await sys.sem_open('ready', 0);
      await sys.sem_wait(s);
      await sys.print('waiter woke at', sys.now(), 'value', await sys.sem_getvalue(s));
    `));
    const poster = moduleFrom(program(`
      await sys.sleep(40);
      const s = await sys.sem_open('ready', 5);
      await sys.sem_post(s);
    `));
    const result = await runKernel({ programs: [{ module: waiter }, { module: poster }] });
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('waiter woke at 40 value 0\n');
  });

  test('different names are different semaphores', async () => {
    const result = await run(program(`
      const a = await sys.sem_open('a', 1);
      const b = await sys.sem_open('b', 0);
      await sys.sem_wait(a);
      try { await sys.sem_trywait(b); } catch (e) { await sys.print(e.code); }
    `));
    expect(result.stdout).toBe('EAGAIN\n');
  });

  test('sem_init rejects a negative initial value, and semaphore calls reject what is not a semaphore', async () => {
    const result = await run(program(`
      try { await sys.sem_init(-1); } catch (e) { await sys.print(e.code); }
      try { await sys.sem_post({ kind: 'semaphore', id: 1 }); } catch (e) { await sys.print(e.code); }
      const m = await sys.mutex_init();
      try { await sys.sem_wait(m); } catch (e) { await sys.print(e.code); }
    `));
    expect(result.stdout).toBe('EINVAL\nEINVAL\nEINVAL\n');
  });

  test('a semaphore of value 1 gives mutual exclusion under every random seed', async () => {
    const source = program(`
      const s = await sys.sem_init(1);
      const worker = async () => {
        for (let i = 0; i < 3; i++) {
          await sys.sem_wait(s);
          const seen = counter;
          await sys.yield();
          counter = seen + 1;
          await sys.sem_post(s);
        }
      };
      const tids = [await sys.thread(worker), await sys.thread(worker), await sys.thread(worker)];
      for (const tid of tids) await sys.join(tid);
      await sys.print(counter);
    `, 'let counter = 0;');
    for (const seed of SEEDS.slice(0, 30)) {
      const result = await run(source, { schedule: 'random', seed });
      expect([seed, result.stdout]).toEqual([seed, '9\n']);
    }
  });

  test('a sem_wait no one will post is a deadlock that names sem_wait', async () => {
    const result = await run(program('const s = await sys.sem_init(0); await sys.sem_wait(s);'));
    expect(result.status).toBe('deadlock');
    expect(result.deadlock!.blocked).toEqual([expect.objectContaining({ pid: 2, tid: 2, call: 'sem_wait' })]);
  });
});

describe('mutexes', () => {
  test('mutex_lock and mutex_unlock make a critical section that never loses an update', async () => {
    const source = program(`
      const m = await sys.mutex_init();
      const worker = async () => {
        for (let i = 0; i < 3; i++) {
          await sys.mutex_lock(m);
          const seen = counter;
          await sys.yield();
          counter = seen + 1;
          await sys.mutex_unlock(m);
        }
      };
      const a = await sys.thread(worker);
      const b = await sys.thread(worker);
      await sys.join(a);
      await sys.join(b);
      await sys.print(counter);
    `, 'let counter = 0;');
    for (const seed of SEEDS.slice(0, 30)) {
      const result = await run(source, { schedule: 'random', seed });
      expect([seed, result.stdout]).toEqual([seed, '6\n']);
    }
  });

  test('without the mutex the same program loses updates under some seed', async () => {
    const source = program(`
      const worker = async () => {
        for (let i = 0; i < 3; i++) {
          const seen = counter;
          await sys.yield();
          counter = seen + 1;
        }
      };
      const a = await sys.thread(worker);
      const b = await sys.thread(worker);
      await sys.join(a);
      await sys.join(b);
      await sys.print(counter);
    `, 'let counter = 0;');
    const outputs = new Set<string>();
    for (const seed of SEEDS.slice(0, 30)) outputs.add((await run(source, { schedule: 'random', seed })).stdout);
    expect([...outputs].some((out) => out !== '6\n')).toBe(true);
  });

  test('mutex_unlock by a thread that does not hold the mutex rejects with EPERM', async () => {
    const result = await run(program(`
      const m = await sys.mutex_init();
      try { await sys.mutex_unlock(m); } catch (e) { await sys.print('free:', e.code, e.syscall); }
      await sys.mutex_lock(m);
      const tid = await sys.thread(async () => {
        try { await sys.mutex_unlock(m); } catch (e) { await sys.print('other thread:', e.code); }
      });
      await sys.join(tid);
      await sys.mutex_unlock(m);
      await sys.print('owner unlocked');
    `));
    expect(result.stdout).toBe('free: EPERM mutex_unlock\nother thread: EPERM\nowner unlocked\n');
  });

  test('mutex_trylock takes a free mutex and rejects with EAGAIN while another thread holds it', async () => {
    const result = await run(program(`
      const m = await sys.mutex_init();
      await sys.mutex_trylock(m);
      const tid = await sys.thread(async () => {
        try { await sys.mutex_trylock(m); } catch (e) { await sys.print(e.code, e.syscall); }
      });
      await sys.join(tid);
      await sys.mutex_unlock(m);
      await sys.print('done');
    `));
    expect(result.stdout).toBe('EAGAIN mutex_trylock\ndone\n');
  });

  test('mutex_lock blocks while another thread holds the mutex, until it is unlocked', async () => {
    const result = await run(program(`
      const m = await sys.mutex_init();
      await sys.mutex_lock(m);
      const tid = await sys.thread(async () => {
        await sys.mutex_lock(m);
        await sys.print('thread got the lock at', sys.now());
        await sys.mutex_unlock(m);
      });
      await sys.sleep(70);
      await sys.print('main unlocks at', sys.now());
      await sys.mutex_unlock(m);
      await sys.join(tid);
    `));
    expect(result.stdout).toBe('main unlocks at 70\nthread got the lock at 70\n');
  });

  test('locking a mutex the thread already holds rejects with EDEADLK', async () => {
    const result = await run(program(`
      const m = await sys.mutex_init();
      await sys.mutex_lock(m);
      try { await sys.mutex_lock(m); } catch (e) { await sys.print(e.code); }
    `));
    expect(result.stdout).toBe('EDEADLK\n');
  });

  test('a signal handler interrupting mutex_lock does not make it fail: the lock is taken afterwards', async () => {
    const result = await run(program(`
      await sys.signal('SIGUSR1', async () => { await sys.print('handler'); });
      const m = await sys.mutex_init();
      const tid = await sys.thread(async () => {
        await sys.mutex_lock(m);
        await sys.kill(sys.getpid(), 'SIGUSR1');
        await sys.sleep(10);
        await sys.mutex_unlock(m);
      });
      await sys.yield();
      await sys.mutex_lock(m);
      await sys.print('main locked at', sys.now());
      await sys.join(tid);
    `));
    expect(result.stdout).toBe('handler\nmain locked at 10\n');
  });

  test('two threads locking two mutexes in opposite orders deadlock under some seed, and the report names both threads in mutex_lock', async () => {
    const source = program(`
      const a = await sys.mutex_init();
      const b = await sys.mutex_init();
      const t1 = await sys.thread(async () => {
        await sys.mutex_lock(a); await sys.mutex_lock(b);
        await sys.mutex_unlock(b); await sys.mutex_unlock(a);
      });
      const t2 = await sys.thread(async () => {
        await sys.mutex_lock(b); await sys.mutex_lock(a);
        await sys.mutex_unlock(a); await sys.mutex_unlock(b);
      });
      await sys.join(t1);
      await sys.join(t2);
      await sys.print('no deadlock');
    `);
    const results: RunResult[] = [];
    for (const schedule of ['random', 'pct'] as const) {
      for (const seed of SEEDS.slice(0, 20)) results.push(await run(source, { schedule, seed }));
    }
    expect(results.some((result) => result.status === 'ok')).toBe(true);
    const deadlocked = results.filter((result) => result.status === 'deadlock');
    expect(deadlocked.length).toBeGreaterThan(0);
    for (const result of deadlocked) {
      expect(result.deadlock!.blocked).toEqual([
        expect.objectContaining({ pid: 2, tid: 2, call: 'join' }),
        expect.objectContaining({ pid: 2, tid: 1001, call: 'mutex_lock', detail: expect.stringContaining('held by thread 1002') }),
        expect.objectContaining({ pid: 2, tid: 1002, call: 'mutex_lock', detail: expect.stringContaining('held by thread 1001') }),
      ]);
      expect(result.message).toContain('pid 2 (thread 1001) waits in mutex_lock');
      expect(result.message).toContain('pid 2 (thread 1002) waits in mutex_lock');
    }
  });

  test('a mutex whose owner ended without unlocking it leaves its waiters deadlocked, and the report says so', async () => {
    const result = await run(program(`
      const m = await sys.mutex_init();
      const tid = await sys.thread(async () => { await sys.mutex_lock(m); });
      await sys.join(tid);
      await sys.mutex_lock(m);
    `));
    expect(result.status).toBe('deadlock');
    expect(result.deadlock!.blocked).toEqual([
      expect.objectContaining({ tid: 2, call: 'mutex_lock', detail: expect.stringContaining('ended without unlocking') }),
    ]);
  });
});

describe('condition variables', () => {
  test('cond_wait releases the mutex while waiting and holds it again when it returns', async () => {
    const result = await run(program(`
      const m = await sys.mutex_init();
      const c = await sys.cond_init();
      const tid = await sys.thread(async () => {
        await sys.mutex_lock(m);
        while (!ready) await sys.cond_wait(c, m);
        try { await sys.mutex_trylock(m); } catch (e) { await sys.print('waiter holds it again:', e.code); }
        await sys.mutex_unlock(m);
      });
      await sys.sleep(10);
      await sys.mutex_lock(m);
      await sys.print('main got the mutex while the thread waits');
      ready = true;
      await sys.cond_signal(c);
      await sys.mutex_unlock(m);
      await sys.join(tid);
    `, 'let ready = false;'));
    expect(result.stdout).toBe('main got the mutex while the thread waits\nwaiter holds it again: EDEADLK\n');
  });

  test('cond_wait by a thread that does not hold the mutex rejects with EPERM', async () => {
    const result = await run(program(`
      const m = await sys.mutex_init();
      const c = await sys.cond_init();
      try { await sys.cond_wait(c, m); } catch (e) { await sys.print(e.code, e.syscall); }
    `));
    expect(result.stdout).toBe('EPERM cond_wait\n');
  });

  test('cond_signal wakes one waiter and cond_broadcast wakes them all', async () => {
    const result = await run(program(`
      const m = await sys.mutex_init();
      const c = await sys.cond_init();
      const waiter = async () => {
        await sys.mutex_lock(m);
        waiting++;
        await sys.cond_wait(c, m);
        woken++;
        await sys.mutex_unlock(m);
      };
      const tids = [await sys.thread(waiter), await sys.thread(waiter), await sys.thread(waiter)];
      while (waiting < 3) await sys.yield();
      await sys.mutex_lock(m);
      await sys.cond_signal(c);
      await sys.mutex_unlock(m);
      await sys.sleep(10);
      await sys.print('after signal:', woken);
      await sys.mutex_lock(m);
      await sys.cond_broadcast(c);
      await sys.mutex_unlock(m);
      for (const tid of tids) await sys.join(tid);
      await sys.print('after broadcast:', woken);
    `, 'let waiting = 0; let woken = 0;'));
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('after signal: 1\nafter broadcast: 3\n');
  });

  test('a cond_signal with no thread waiting is lost', async () => {
    const result = await run(program(`
      const m = await sys.mutex_init();
      const c = await sys.cond_init();
      await sys.cond_signal(c);
      await sys.mutex_lock(m);
      await sys.cond_wait(c, m);
    `));
    expect(result.status).toBe('deadlock');
    expect(result.deadlock!.blocked).toEqual([expect.objectContaining({ tid: 2, call: 'cond_wait' })]);
  });

  const boundedBuffer = program(`
    const m = await sys.mutex_init();
    const notFull = await sys.cond_init();
    const notEmpty = await sys.cond_init();
    const buffer: number[] = [];
    const producer = async () => {
      for (let i = 0; i < 8; i++) {
        await sys.mutex_lock(m);
        while (buffer.length === 2) await sys.cond_wait(notFull, m);
        buffer.push(i);
        await sys.cond_signal(notEmpty);
        await sys.mutex_unlock(m);
      }
    };
    const consumer = async () => {
      const got: number[] = [];
      for (let i = 0; i < 4; i++) {
        await sys.mutex_lock(m);
        while (buffer.length === 0) await sys.cond_wait(notEmpty, m);
        got.push(buffer.shift()!);
        await sys.cond_signal(notFull);
        await sys.mutex_unlock(m);
      }
      return got;
    };
    const p = await sys.thread(producer);
    const c1 = await sys.thread(consumer);
    const c2 = await sys.thread(consumer);
    await sys.join(p);
    const all = [...await sys.join(c1), ...await sys.join(c2)].sort((a, b) => a - b);
    await sys.print(all.join(','));
  `);

  test('a bounded buffer with a mutex and two condition variables delivers every item under 100 random seeds', async () => {
    for (const seed of SEEDS) {
      const result = await run(boundedBuffer, { schedule: 'random', seed });
      expect([seed, result.status, result.stdout]).toEqual([seed, 'ok', '0,1,2,3,4,5,6,7\n']);
    }
  });

  test('the bounded buffer also works under PCT schedules', async () => {
    for (const seed of SEEDS.slice(0, 30)) {
      const result = await run(boundedBuffer, { schedule: 'pct', seed });
      expect([seed, result.status, result.stdout]).toEqual([seed, 'ok', '0,1,2,3,4,5,6,7\n']);
    }
  });

  test('waiting with if instead of while lets a consumer take from an empty buffer under some seed', async () => {
    const source = boundedBuffer.replace(/while \(buffer\.length === 0\)/, 'if (buffer.length === 0)').replace('cond_signal(notEmpty)', 'cond_broadcast(notEmpty)');
    let broken = 0;
    for (const seed of SEEDS) {
      const result = await run(source, { schedule: 'random', seed });
      if (result.stdout !== '0,1,2,3,4,5,6,7\n') broken++;
    }
    expect(broken).toBeGreaterThan(0);
  });
});
