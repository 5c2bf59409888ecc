import { run } from '../test/support/kernel';
import type { RunResult } from './types';

/** A program whose default export runs `body` with `sys` in scope. */
function program(body: string, prelude = ''): string {
  return `${prelude}\nexport default async function main(sys: any) {\n${body}\n}`;
}

function processOf(result: RunResult, pid: number) {
  return result.processes.find((proc) => proc.pid === pid)!;
}

describe('creating and joining threads', () => {
  test('thread(fn, ...args) starts fn with the arguments and resolves to a tid; join resolves to fn\'s result', async () => {
    const result = await run(program(`
      const tid = await sys.thread(async (a: number, b: string) => {
        await sys.yield();
        return { sum: a + 1, text: b + '!', tid: sys.gettid() };
      }, 41, 'hi');
      const value = await sys.join(tid);
      await sys.print(typeof tid, tid === value.tid, tid !== sys.gettid(), JSON.stringify({ sum: value.sum, text: value.text }));
    `));
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('number true true {"sum":42,"text":"hi!"}\n');
  });

  test('a process\'s first thread has the pid as its tid, and each new thread a tid of its own', async () => {
    const result = await run(program(`
      const body = async () => sys.gettid();
      const a = await sys.thread(body);
      const b = await sys.thread(body);
      await sys.print(sys.gettid(), a !== b, a === await sys.join(a), b === await sys.join(b));
    `));
    expect(result.stdout).toBe('2 true true true\n');
  });

  test('threads share the process\'s top-level variables', async () => {
    const result = await run(program(`
      const tid = await sys.thread(async () => { shared.push('from thread'); counter += 10; });
      await sys.join(tid);
      counter += 1;
      await sys.print(counter, shared.join(','));
    `, 'let counter = 0; const shared: string[] = [];'));
    expect(result.stdout).toBe('11 from thread\n');
  });

  test('join returns the very object the thread returned, since threads share one address space', async () => {
    const result = await run(program(`
      const box = { n: 1 };
      const tid = await sys.thread(async () => box);
      const got = await sys.join(tid);
      got.n = 2;
      await sys.print(got === box, box.n);
    `));
    expect(result.stdout).toBe('true 2\n');
  });

  test('threads share the fd table: a pipe one thread opens, another can use', async () => {
    const result = await run(program(`
      let fds: number[] = [];
      const tid = await sys.thread(async () => { fds = await sys.pipe(); await sys.write(fds[1], 'from the thread'); });
      await sys.join(tid);
      await sys.print(await sys.read(fds[0], 100));
      await sys.close(fds[0]);
      const closer = await sys.thread(async () => { await sys.close(fds[1]); });
      await sys.join(closer);
      try { await sys.write(fds[1], 'x'); } catch (e) { await sys.print(e.code); }
    `));
    expect(result.stdout).toBe('from the thread\nEBADF\n');
  });

  test('join of a tid that is not a thread of the process rejects with ESRCH', async () => {
    const result = await run(program(`
      try { await sys.join(4242); } catch (e) { await sys.print(e.code, e.syscall); }
    `));
    expect(result.stdout).toBe('ESRCH join\n');
  });

  test('a thread can be joined once; a second join rejects with ESRCH', async () => {
    const result = await run(program(`
      const tid = await sys.thread(async () => 7);
      await sys.print(await sys.join(tid));
      try { await sys.join(tid); } catch (e) { await sys.print(e.code); }
    `));
    expect(result.stdout).toBe('7\nESRCH\n');
  });

  test('a thread joining itself rejects with EDEADLK', async () => {
    const result = await run(program(`
      const tid = await sys.thread(async () => {
        try { await sys.join(sys.gettid()); } catch (e) { await sys.print('thread:', e.code); }
      });
      await sys.join(tid);
      try { await sys.join(sys.gettid()); } catch (e) { await sys.print('main:', e.code); }
    `));
    expect(result.stdout).toBe('thread: EDEADLK\nmain: EDEADLK\n');
  });

  test('join blocks until the thread finishes', async () => {
    const result = await run(program(`
      const tid = await sys.thread(async () => { await sys.sleep(50); await sys.print('thread done at', sys.now()); return 'r'; });
      const value = await sys.join(tid);
      await sys.print('joined', value, 'at', sys.now());
    `));
    expect(result.stdout).toBe('thread done at 50\njoined r at 50\n');
  });

  test('thread rejects a body that is not a function with EINVAL', async () => {
    const result = await run(program(`
      try { await sys.thread('not a function'); } catch (e) { await sys.print(e.code); }
    `));
    expect(result.stdout).toBe('EINVAL\n');
  });

  test('thread is not available when the exercise does not enable the thread group', async () => {
    const result = await run(program(`
      try { await sys.thread(async () => 1); } catch (e) { await sys.print(e.code, e.syscall); }
    `), { enable: ['proc', 'fd'] });
    expect(result.stdout).toBe('ENOSYS thread\n');
  });
});

describe('how threads end', () => {
  test('an exception in a thread ends the whole process with Uncaught on stderr and status 1', async () => {
    const result = await run(program(`
      const tid = await sys.thread(async () => { await sys.yield(); throw new Error('boom'); });
      await sys.join(tid);
      await sys.print('not reached');
    `));
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('Uncaught boom\n');
    expect(processOf(result, 2)).toMatchObject({ status: 1, signal: null, stderr: 'Uncaught boom\n' });
  });

  test('main returning ends the process and every other thread in it', async () => {
    const result = await run(program(`
      await sys.thread(async () => { for (;;) { await sys.yield(); } });
      await sys.thread(async () => { await sys.sleep(1000); await sys.print('never'); });
      await sys.yield();
      return 3;
    `), { maxSteps: 1000 });
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('');
    expect(processOf(result, 2)).toMatchObject({ status: 3, signal: null });
    expect(result.simTimeMs).toBe(0);
  });

  test('exit from any thread ends the whole process', async () => {
    const result = await run(program(`
      await sys.thread(async () => { await sys.exit(5); });
      await sys.sleep(100);
      await sys.print('not reached');
    `));
    expect(result.stdout).toBe('');
    expect(processOf(result, 2)).toMatchObject({ status: 5 });
  });

  test('a thread that ends first does not end the process', async () => {
    const result = await run(program(`
      await sys.thread(async () => 'ignored');
      await sys.sleep(10);
      await sys.print('main still runs');
    `));
    expect(result.stdout).toBe('main still runs\n');
    expect(processOf(result, 2).status).toBe(0);
  });

  test('a signal that ends the process ends all its threads', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) {
        await sys.thread(async () => { for (;;) await sys.sleep(1); });
        for (;;) await sys.sleep(1);
      }
      await sys.sleep(5);
      await sys.kill(pid, 'SIGTERM');
      const w = await sys.wait();
      await sys.print(w.signal);
    `));
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('SIGTERM\n');
  });

  test('fork from a thread makes a child whose only thread is a copy of the caller', async () => {
    const result = await run(program(`
      const tid = await sys.thread(async () => {
        const pid = await sys.fork();
        if (pid === 0) { await sys.print('child', sys.getpid(), 'tid', sys.gettid(), 'sees', counter); await sys.exit(0); }
        await sys.wait();
      });
      counter = 1;
      await sys.join(tid);
    `, 'let counter = 0;'));
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('child 3 tid 3 sees 1\n');
  });
});

describe('deadlock reports name threads', () => {
  test('a thread blocked forever is named in the deadlock report with its tid and call', async () => {
    const result = await run(program(`
      const [r] = await sys.pipe();
      const tid = await sys.thread(async () => { await sys.read(r, 1); });
      await sys.join(tid);
    `));
    expect(result.status).toBe('deadlock');
    expect(result.deadlock!.blocked).toEqual([
      expect.objectContaining({ pid: 2, tid: 2, call: 'join' }),
      expect.objectContaining({ pid: 2, tid: 1001, call: 'read' }),
    ]);
    expect(result.message).toContain('pid 2 (thread 1001) waits in read');
  });
});
