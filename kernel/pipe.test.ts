import { run } from '../test/support/kernel';
import type { RunResult } from './types';

/** Reads fd until end of file, as a program would (a helper pasted into sources). */
const READ_ALL = `
  async function readAll(sys, fd, n = 100) {
    let all = '';
    for (;;) { const s = await sys.read(fd, n); if (s === '') return all; all += s; }
  }`;

function proc(result: RunResult, pid: number) {
  const found = result.processes.find((p) => p.pid === pid);
  if (!found) throw new Error(`no process ${pid} in the report`);
  return found;
}

describe('pipe basics', () => {
  test('pipe resolves to [readFd, writeFd] at the lowest free fds', async () => {
    const r = await run(`
      export default async function main(sys) {
        const p = await sys.pipe();
        await sys.print(JSON.stringify(p));
      }`);
    expect(r.stdout).toBe('[3,4]\n');
  });

  test('what is written to the write end is read from the read end, in order', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        await sys.write(wr, 'abc');
        await sys.write(wr, 'def');
        await sys.print(await sys.read(rd, 2), await sys.read(rd, 100));
      }`);
    expect(r.stdout).toBe('ab cdef\n');
  });

  test('read returns at most the number of characters asked for', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        await sys.write(wr, 'abcdef');
        await sys.print(await sys.read(rd, 1), await sys.read(rd, 3), await sys.read(rd, 3));
      }`);
    expect(r.stdout).toBe('a bcd ef\n');
  });

  test('write resolves to the number of characters written', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        await sys.print(await sys.write(wr, 'hello'), await sys.write(wr, ''));
      }`);
    expect(r.stdout).toBe('5 0\n');
  });

  test('a parent and child talk through a pipe created before the fork', async () => {
    const r = await run(`${READ_ALL}
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        if (await sys.fork() === 0) {
          await sys.close(rd);
          await sys.write(wr, 'hello from ' + sys.getpid());
          return;
        }
        await sys.close(wr);
        await sys.print(await readAll(sys, rd));
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('hello from 3\n');
  });
});

describe('blocking and end of file', () => {
  test('read blocks while the pipe is empty and a write end is open', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        if (await sys.fork() === 0) {
          await sys.sleep(50);
          await sys.write(wr, 'late');
          return;
        }
        const got = await sys.read(rd, 10);
        await sys.print(got, 'at', sys.now());
        await sys.wait();
      }`);
    expect(r.stdout).toBe('late at 50\n');
  });

  test("read returns '' once every write end is closed, including the child's copy", async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        if (await sys.fork() === 0) {
          await sys.write(wr, 'x');
          await sys.sleep(20);
          await sys.close(wr);
          await sys.sleep(20);
          return;
        }
        await sys.close(wr);
        const a = await sys.read(rd, 10);
        const b = await sys.read(rd, 10);
        await sys.print(a, JSON.stringify(b), 'at', sys.now());
        await sys.wait();
      }`);
    expect(r.stdout).toBe('x "" at 20\n');
  });

  test("data still in the pipe is read before the '' of end of file", async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        await sys.write(wr, 'rest');
        await sys.close(wr);
        await sys.print(await sys.read(rd, 2), await sys.read(rd, 10), JSON.stringify(await sys.read(rd, 10)), JSON.stringify(await sys.read(rd, 10)));
      }`);
    expect(r.stdout).toBe('re st "" ""\n');
  });

  test("a writer's exit closes its write end: a blocked reader then gets ''", async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        const pid = await sys.fork();
        if (pid === 0) { await sys.sleep(10); return; }
        await sys.close(wr);
        await sys.print(JSON.stringify(await sys.read(rd, 10)), sys.now());
        await sys.wait();
      }`);
    expect(r.stdout).toBe('"" 10\n');
  });

  test('a pipe holds PIPE_CAPACITY (64) characters by default: write blocks while it is full', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        if (await sys.fork() === 0) {
          await sys.close(rd);
          const n = await sys.write(wr, 'x'.repeat(64));
          await sys.print('filled', n, 'at', sys.now());
          await sys.write(wr, 'y');
          await sys.print('one more at', sys.now());
          return;
        }
        await sys.close(wr);
        await sys.sleep(100);
        const first = await sys.read(rd, 1000);
        const second = await sys.read(rd, 1000);
        await sys.print('read', first.length, second);
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('filled 64 at 0\none more at 100\nread 64 y\n');
  });

  test('the exercise sets the pipe capacity: a reader never finds more than that in the pipe', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        if (await sys.fork() === 0) {
          await sys.close(rd);
          const n = await sys.write(wr, 'abcdefghij');
          await sys.print('wrote', n, 'at', sys.now());
          return;
        }
        await sys.close(wr);
        await sys.sleep(10);
        const parts = [];
        for (let s; (s = await sys.read(rd, 100)) !== '';) parts.push(s);
        await sys.print(JSON.stringify(parts));
        await sys.wait();
      }`, { pipeCapacity: 4, pipeBuf: 2 });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('wrote 10 at 10\n["abcd","efgh","ij"]\n');
  });

  test('a write longer than the capacity completes, in pieces, while a reader drains the pipe', async () => {
    const r = await run(`${READ_ALL}
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        const text = Array.from({ length: 100 }, (_, i) => String(i % 10)).join('');
        if (await sys.fork() === 0) {
          await sys.close(rd);
          await sys.print('wrote', await sys.write(wr, text));
          return;
        }
        await sys.close(wr);
        const got = await readAll(sys, rd, 7);
        await sys.wait();
        await sys.print(got === text, got.length);
      }`, { pipeCapacity: 8 });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('wrote 100\ntrue 100\n');
  });

  test('a capacity set below PIPE_BUF still lets every write through, in pieces', async () => {
    const r = await run(`${READ_ALL}
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        if (await sys.fork() === 0) {
          await sys.close(rd);
          await sys.print('wrote', await sys.write(wr, 'abcdefghij'));
          return;
        }
        await sys.close(wr);
        await sys.print(await readAll(sys, rd));
        await sys.wait();
      }`, { pipeCapacity: 4 });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('wrote 10\nabcdefghij\n');
  });

  test('a blocked read restarts after a handler installed with {restart: true} and returns the data', async () => {
    const r = await run(`
      export default async function main(sys) {
        let handled = 0;
        await sys.signal('SIGALRM', async () => { handled++; }, { restart: true });
        const [rd, wr] = await sys.pipe();
        if (await sys.fork() === 0) { await sys.sleep(50); await sys.write(wr, 'late'); return; }
        await sys.alarm(10);
        await sys.print(await sys.read(rd, 10), handled, sys.now());
        await sys.wait();
      }`);
    expect(r.stdout).toBe('late 1 50\n');
  });

  test('a blocked read interrupted by a handled signal rejects with EINTR', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.signal('SIGALRM', async () => {});
        const [rd, wr] = await sys.pipe();
        await sys.alarm(10);
        try { await sys.read(rd, 10); } catch (e) { await sys.print(e.code, e.syscall, sys.now()); }
      }`);
    expect(r.stdout).toBe('EINTR read 10\n');
  });

  test('a write that a signal interrupts after part of it went in resolves to the part written, not EINTR', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.signal('SIGALRM', async () => {});
        const [rd, wr] = await sys.pipe();
        if (await sys.fork() === 0) {
          await sys.close(wr);
          await sys.sleep(50);
          let all = '';
          for (let s; (s = await sys.read(rd, 100)) !== '';) all += s;
          await sys.print('reader got', all.length);
          return;
        }
        await sys.close(rd);
        await sys.alarm(10);
        await sys.print('wrote', await sys.write(wr, 'x'.repeat(100)));
        await sys.close(wr);
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('wrote 64\nreader got 64\n');
  });

  test('a process writing a full pipe that nobody reads deadlocks, and the report says who holds the read end', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        await sys.write(wr, 'x'.repeat(70));
      }`);
    expect(r.status).toBe('deadlock');
    expect(r.deadlock!.blocked).toEqual([
      { pid: 2, tid: 2, call: 'write', detail: expect.stringMatching(/full.*pid 2 \(fd 3\)/) },
    ]);
  });
});

describe('PIPE_BUF atomicity', () => {
  /** Two writers each write `count` blocks of `size` identical letters into one pipe; the reader returns what arrived. */
  const writers = (size: number, count: number) => `${READ_ALL}
    export default async function main(sys) {
      const [rd, wr] = await sys.pipe();
      for (const letter of ['a', 'b']) {
        if (await sys.fork() === 0) {
          await sys.close(rd);
          for (let i = 0; i < ${count}; i++) await sys.write(wr, letter.repeat(${size}));
          return;
        }
      }
      await sys.close(wr);
      await sys.print(await readAll(sys, rd, 5));
      await sys.wait(); await sys.wait();
    }`;

  /** The lengths of the runs of equal letters in `text`. */
  const runs = (text: string) => (text.match(/a+|b+/g) ?? []).map((run) => run.length);

  test('writes of at most PIPE_BUF characters are never interleaved with another writer\'s', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = await run(writers(16, 6), { schedule: 'random', seed, pipeCapacity: 40 });
      expect(r.status).toBe('ok');
      const out = r.stdout.trimEnd();
      expect(out.length).toBe(2 * 6 * 16);
      for (const length of runs(out)) expect(length % 16).toBe(0);
    }
  });

  test('the exercise sets PIPE_BUF: writes up to it stay whole, even when the pipe must drain first', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = await run(writers(6, 8), { schedule: 'random', seed, pipeCapacity: 10, pipeBuf: 6 });
      expect(r.status).toBe('ok');
      for (const length of runs(r.stdout.trimEnd())) expect(length % 6).toBe(0);
    }
  });

  test('writes longer than PIPE_BUF may be interleaved with another writer\'s (under some seed)', async () => {
    let interleaved: number | null = null;
    for (let seed = 1; seed <= 40 && interleaved === null; seed++) {
      const r = await run(writers(40, 3), { schedule: 'random', seed, pipeCapacity: 24 });
      expect(r.status).toBe('ok');
      const out = r.stdout.trimEnd();
      expect(out.length).toBe(2 * 3 * 40);
      if (runs(out).some((length) => length % 40 !== 0)) interleaved = seed;
    }
    expect(interleaved).not.toBeNull();
  });
});

describe('SIGPIPE and EPIPE', () => {
  test('a write with no read end open kills the writer with SIGPIPE', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        await sys.close(rd);
        await sys.write(wr, 'nobody listens');
        await sys.print('never');
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('');
    expect(r.processes[0]).toMatchObject({ status: null, signal: 'SIGPIPE' });
  });

  test('the parent of a writer killed by SIGPIPE sees signal SIGPIPE in wait', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        if (await sys.fork() === 0) {
          await sys.close(rd);
          await sys.sleep(5);
          for (;;) await sys.write(wr, 'y\\n');
        }
        await sys.close(wr);
        await sys.print(await sys.read(rd, 2));
        await sys.close(rd);
        await sys.print(JSON.stringify(await sys.wait()));
      }`);
    expect(r.stdout).toBe('y\n\n{"pid":3,"status":null,"signal":"SIGPIPE"}\n');
  });

  test('a writer blocked on a full pipe gets SIGPIPE when the last reader closes', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        const pid = await sys.fork();
        if (pid === 0) {
          await sys.close(rd);
          await sys.write(wr, 'z'.repeat(100));
          await sys.print('never');
          return;
        }
        await sys.close(wr);
        await sys.sleep(10);
        await sys.close(rd);
        await sys.print(JSON.stringify(await sys.wait()));
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('{"pid":3,"status":null,"signal":"SIGPIPE"}\n');
  });

  test('with SIGPIPE ignored, a write with no reader rejects with EPIPE', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.signal('SIGPIPE', 'ignore');
        const [rd, wr] = await sys.pipe();
        await sys.close(rd);
        try { await sys.write(wr, 'x'); } catch (e) { await sys.print(e.code, e.syscall); }
      }`);
    expect(r.stdout).toBe('EPIPE write\n');
    expect(r.processes[0]).toMatchObject({ status: 0, signal: null });
  });

  test('with SIGPIPE handled, the handler runs and the write rejects with EPIPE', async () => {
    const r = await run(`
      export default async function main(sys) {
        let caught = '';
        await sys.signal('SIGPIPE', async (sig) => { caught = sig; });
        const [rd, wr] = await sys.pipe();
        await sys.close(rd);
        try { await sys.write(wr, 'x'); } catch (e) { await sys.print(e.code); }
        await sys.yield();
        await sys.print('handled', caught);
      }`);
    expect(r.stdout).toBe('EPIPE\nhandled SIGPIPE\n');
  });

  test('a partial write is reported when the reader leaves in the middle of it and SIGPIPE is ignored', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.signal('SIGPIPE', 'ignore');
        const [rd, wr] = await sys.pipe();
        if (await sys.fork() === 0) {
          await sys.close(wr);
          await sys.sleep(10);
          await sys.read(rd, 10);
          await sys.sleep(10);
          return;
        }
        await sys.close(rd);
        const n = await sys.write(wr, 'q'.repeat(100));
        await sys.print('wrote', n);
        try { await sys.write(wr, 'more'); } catch (e) { await sys.print(e.code); }
        await sys.wait();
      }`, { pipeCapacity: 20 });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('wrote 30\nEPIPE\n');
  });
});

describe('socketpair', () => {
  test('socketpair resolves to two fds, each readable and writable (a duplex pipe)', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [a, b] = await sys.socketpair();
        await sys.write(a, 'a->b');
        await sys.write(b, 'b->a');
        await sys.print(a, b, await sys.read(b, 10), await sys.read(a, 10));
      }`);
    expect(r.stdout).toBe('3 4 a->b b->a\n');
  });

  test('parent and child hold a conversation over a socketpair', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [a, b] = await sys.socketpair();
        if (await sys.fork() === 0) {
          await sys.close(a);
          const question = await sys.read(b, 100);
          await sys.write(b, question.toUpperCase());
          return;
        }
        await sys.close(b);
        await sys.write(a, 'ping');
        await sys.print(await sys.read(a, 100));
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('PING\n');
  });

  test("reading a socketpair end returns '' once the other end is closed everywhere", async () => {
    const r = await run(`
      export default async function main(sys) {
        const [a, b] = await sys.socketpair();
        await sys.write(b, 'last');
        await sys.close(b);
        await sys.print(await sys.read(a, 10), JSON.stringify(await sys.read(a, 10)));
      }`);
    expect(r.stdout).toBe('last ""\n');
  });

  test('writing a socketpair end whose peer is closed raises SIGPIPE', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [a, b] = await sys.socketpair();
        await sys.close(b);
        await sys.write(a, 'x');
      }`);
    expect(r.processes[0]).toMatchObject({ status: null, signal: 'SIGPIPE' });
  });

  test('each direction of a socketpair has its own capacity', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [a, b] = await sys.socketpair();
        await sys.write(a, 'x'.repeat(8));
        await sys.write(b, 'y'.repeat(8));
        await sys.print(await sys.read(a, 100), await sys.read(b, 100));
      }`, { pipeCapacity: 8 });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('yyyyyyyy xxxxxxxx\n');
  });
});

describe('the deadlock report', () => {
  test('a parent that forgets to close its write end deadlocks in read, and the report names who holds the write end', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        if (await sys.fork() === 0) {
          await sys.close(rd);
          await sys.write(wr, 'data');
          await sys.close(wr);
          return;
        }
        let all = '';
        for (;;) { const s = await sys.read(rd, 100); if (s === '') break; all += s; }
        await sys.print(all);
      }`);
    expect(r.status).toBe('deadlock');
    expect(r.deadlock).toEqual({
      blocked: [{ pid: 2, tid: 2, call: 'read', detail: expect.stringContaining('pid 2 (fd 4)') }],
    });
    expect(r.deadlock!.blocked[0].detail).toMatch(/write end/);
    expect(r.message).toMatch(/pid 2 waits in read/);
  });

  test('two processes each reading a pipe the other should write deadlock, both named in the report', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [r1, w1] = await sys.pipe();
        const [r2, w2] = await sys.pipe();
        if (await sys.fork() === 0) {
          await sys.read(r1, 10);
          await sys.write(w2, 'reply');
          return;
        }
        await sys.read(r2, 10);
        await sys.write(w1, 'request');
      }`);
    expect(r.status).toBe('deadlock');
    expect(r.deadlock!.blocked.map((b) => [b.pid, b.call])).toEqual([[2, 'read'], [3, 'read']]);
  });

  test('a deadlocked run still reports the processes that were blocked with status null', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd] = await sys.pipe();
        const [, wr] = await sys.pipe();
        void wr;
        await sys.read(rd, 1);
      }`);
    expect(r.status).toBe('deadlock');
    expect(proc(r, 2)).toMatchObject({ status: null, signal: null });
  });
});
