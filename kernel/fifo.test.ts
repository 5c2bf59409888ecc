import { run, runKernel, moduleFrom } from '../test/support/kernel';

describe('mkfifo', () => {
  test('mkfifo makes a named pipe at a path under /tmp or /home', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        await sys.mkfifo('here');
        await sys.print('made');
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('made\n');
  });

  test('mkfifo of a path that exists (a FIFO or a file) rejects with EEXIST', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        try { await sys.mkfifo('/tmp/f'); } catch (e) { await sys.print(e.code, e.syscall); }
        try { await sys.mkfifo('data.txt'); } catch (e) { await sys.print(e.code, e.syscall); }
      }`, { files: { 'data.txt': '' } });
    expect(r.stdout).toBe('EEXIST mkfifo\nEEXIST mkfifo\n');
  });

  test('mkfifo in a directory that does not exist rejects with ENOENT; outside /home and /tmp with EACCES', async () => {
    const r = await run(`
      export default async function main(sys) {
        try { await sys.mkfifo('/tmp/no/f'); } catch (e) { await sys.print(e.code); }
        try { await sys.mkfifo('/bin/f'); } catch (e) { await sys.print(e.code); }
      }`);
    expect(r.stdout).toBe('ENOENT\nEACCES\n');
  });

  test('a FIFO is listed by ls and removed by unlink', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        const before = await sys.readdir('/tmp');
        await sys.unlink('/tmp/f');
        const after = await sys.readdir('/tmp');
        await sys.mkfifo('/tmp/f');
        await sys.print(JSON.stringify(before), JSON.stringify(after));
      }`);
    expect(r.stdout).toBe('["f"] []\n');
  });
});

describe('opening a FIFO', () => {
  test('open for reading blocks until a writer opens it', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        if (await sys.fork() === 0) {
          await sys.sleep(40);
          const fd = await sys.open('/tmp/f', 'w');
          await sys.write(fd, 'hello');
          return;
        }
        const fd = await sys.open('/tmp/f', 'r');
        await sys.print('opened at', sys.now());
        await sys.print(await sys.read(fd, 100));
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('opened at 40\nhello\n');
  });

  test('open for writing blocks until a reader opens it', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        if (await sys.fork() === 0) {
          await sys.sleep(25);
          const fd = await sys.open('/tmp/f', 'r');
          await sys.print('child read', await sys.read(fd, 100));
          return;
        }
        const fd = await sys.open('/tmp/f', 'w');
        await sys.print('writer opened at', sys.now());
        await sys.write(fd, 'data');
        await sys.close(fd);
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('writer opened at 25\nchild read data\n');
  });

  test('two unrelated programs meet at a FIFO by its path', async () => {
    const writer = moduleFrom(`
      export default async function main(sys) {
        await sys.sleep(5);
        const fd = await sys.open('/tmp/chan', 'w');
        await sys.write(fd, 'from ' + sys.getpid());
        await sys.close(fd);
      }`);
    const reader = moduleFrom(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/chan');
        await sys.sleep(10);
        const fd = await sys.open('/tmp/chan', 'r');
        let all = '';
        for (let s; (s = await sys.read(fd, 100)) !== '';) all += s;
        await sys.print('got', all);
      }`);
    const r = await runKernel({ programs: [{ module: reader }, { module: writer }] });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('got from 3\n');
  });

  test("a FIFO's reader gets '' once every writer has closed it", async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        for (const word of ['one', 'two']) {
          if (await sys.fork() === 0) {
            const fd = await sys.open('/tmp/f', 'w');
            await sys.write(fd, word + ';');
            await sys.sleep(word === 'one' ? 10 : 20);
            return;
          }
        }
        const fd = await sys.open('/tmp/f', 'r');
        let all = '';
        for (let s; (s = await sys.read(fd, 100)) !== '';) all += s;
        await sys.print(all.split(';').sort().join(' '), 'eof at', sys.now());
        await sys.wait(); await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe(' one two eof at 20\n');
  });

  test("open with 'rn' succeeds at once, and read returns '' while no writer has the FIFO open", async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        const fd = await sys.open('/tmp/f', 'rn');
        await sys.print('opened', fd, 'at', sys.now(), JSON.stringify(await sys.read(fd, 10)));
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('opened 3 at 0 ""\n');
  });

  test("after an 'rn' open, a writer can open the FIFO without blocking and the reader gets its data", async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        const rd = await sys.open('/tmp/f', 'rn');
        const wr = await sys.open('/tmp/f', 'w');
        await sys.write(wr, 'hi');
        await sys.print(await sys.read(rd, 10));
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('hi\n');
  });

  test("open with 'wn' and no reader rejects with ENXIO", async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        try { await sys.open('/tmp/f', 'wn'); } catch (e) { await sys.print(e.code, e.syscall); }
      }`);
    expect(r.stdout).toBe('ENXIO open\n');
  });

  test("open with 'wn' succeeds when a reader has the FIFO open", async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        const rd = await sys.open('/tmp/f', 'rn');
        const wr = await sys.open('/tmp/f', 'wn');
        await sys.write(wr, 'ok');
        await sys.print(await sys.read(rd, 10));
      }`);
    expect(r.stdout).toBe('ok\n');
  });

  test("a FIFO opened with 'rw' opens at once and carries data both ways within the process", async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        const fd = await sys.open('/tmp/f', 'rw');
        await sys.write(fd, 'loop');
        await sys.print(await sys.read(fd, 10));
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('loop\n');
  });

  test('opening a FIFO for reading that nobody will ever open for writing is a deadlock naming open and the FIFO', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/lonely');
        await sys.open('/tmp/lonely', 'r');
      }`);
    expect(r.status).toBe('deadlock');
    expect(r.deadlock!.blocked).toEqual([
      { pid: 2, tid: 2, call: 'open', detail: expect.stringContaining('/tmp/lonely') },
    ]);
  });

  test('two processes that open two FIFOs in opposite order deadlock in open', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/a');
        await sys.mkfifo('/tmp/b');
        if (await sys.fork() === 0) {
          await sys.open('/tmp/b', 'r');
          await sys.open('/tmp/a', 'w');
          return;
        }
        await sys.open('/tmp/a', 'r');
        await sys.open('/tmp/b', 'w');
      }`);
    expect(r.status).toBe('deadlock');
    expect(r.deadlock!.blocked.map((b) => [b.pid, b.call])).toEqual([[2, 'open'], [3, 'open']]);
  });

  test('a writer that opened the FIFO and closed it again still releases a reader blocked in open', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        if (await sys.fork() === 0) {
          const fd = await sys.open('/tmp/f', 'r');
          await sys.print('reader opened', JSON.stringify(await sys.read(fd, 10)));
          return;
        }
        await sys.sleep(5);
        const rd = await sys.open('/tmp/f', 'rn');
        const fd = await sys.open('/tmp/f', 'wn');
        await sys.close(fd);
        await sys.close(rd);
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('reader opened ""\n');
  });

  test('a FIFO holds PIPE_CAPACITY characters: a writer blocks while it is full', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        if (await sys.fork() === 0) {
          const fd = await sys.open('/tmp/f', 'r');
          await sys.sleep(30);
          let total = 0;
          for (let s; (s = await sys.read(fd, 100)) !== '';) total += s.length;
          await sys.print('read', total);
          return;
        }
        const fd = await sys.open('/tmp/f', 'w');
        await sys.write(fd, 'x'.repeat(20));
        await sys.print('first write done at', sys.now());
        await sys.write(fd, 'y'.repeat(5));
        await sys.print('second write done at', sys.now());
        await sys.close(fd);
        await sys.wait();
      }`, { pipeCapacity: 20 });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('first write done at 0\nsecond write done at 30\nread 25\n');
  });

  test('a FIFO writer whose reader is gone gets SIGPIPE', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        const rd = await sys.open('/tmp/f', 'rn');
        const wr = await sys.open('/tmp/f', 'w');
        await sys.close(rd);
        await sys.write(wr, 'x');
      }`);
    expect(r.processes[0]).toMatchObject({ status: null, signal: 'SIGPIPE' });
  });

  test("a non-blocking FIFO read with a writer and no data rejects with EAGAIN", async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        const rd = await sys.open('/tmp/f', 'rn');
        const wr = await sys.open('/tmp/f', 'w');
        try { await sys.read(rd, 10); } catch (e) { await sys.print(e.code, e.syscall); }
        await sys.close(wr);
      }`);
    expect(r.stdout).toBe('EAGAIN read\n');
  });

  test('data left in a FIFO when every end closes is discarded: the next reader starts empty', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        const rd = await sys.open('/tmp/f', 'rn');
        const wr = await sys.open('/tmp/f', 'w');
        await sys.write(wr, 'stale');
        await sys.close(wr);
        await sys.close(rd);
        const again = await sys.open('/tmp/f', 'rn');
        await sys.print(JSON.stringify(await sys.read(again, 100)));
      }`);
    expect(r.stdout).toBe('""\n');
  });

  test('data in a FIFO stays while a reader still has it open after the writer closed', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        const rd = await sys.open('/tmp/f', 'rn');
        const wr = await sys.open('/tmp/f', 'w');
        await sys.write(wr, 'kept');
        await sys.close(wr);
        await sys.print(await sys.read(rd, 100));
      }`);
    expect(r.stdout).toBe('kept\n');
  });

  test('a process killed while blocked opening a FIFO leaves no reader behind', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        const pid = await sys.fork();
        if (pid === 0) { await sys.open('/tmp/f', 'r'); return; }
        await sys.sleep(5);
        await sys.kill(pid, 'SIGKILL');
        await sys.wait();
        try { await sys.open('/tmp/f', 'wn'); } catch (e) { await sys.print(e.code); }
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('ENXIO\n');
  });

  test('an open blocked on a FIFO that is then unlinked keeps waiting on that FIFO (a restarted open does not crash)', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        await sys.signal('SIGALRM', async () => {}, { restart: true });
        if (await sys.fork() === 0) { await sys.sleep(5); await sys.unlink('/tmp/f'); await sys.mkfifo('/tmp/f'); return; }
        await sys.alarm(10);
        await sys.open('/tmp/f', 'r');
      }`);
    expect(r.status).toBe('deadlock');
    expect(r.deadlock!.blocked).toEqual([{ pid: 2, tid: 2, call: 'open', detail: expect.stringContaining('FIFO /tmp/f') }]);
  });

  test('FIFO descriptors keep working after the FIFO is unlinked', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        const rd = await sys.open('/tmp/f', 'rn');
        const wr = await sys.open('/tmp/f', 'w');
        await sys.unlink('/tmp/f');
        await sys.write(wr, 'after unlink');
        await sys.print(await sys.read(rd, 100));
      }`);
    expect(r.stdout).toBe('after unlink\n');
  });

  test('FIFO descriptors left open are reported with their kind', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        await sys.open('/tmp/f', 'rn');
        await sys.open('/tmp/f', 'w');
      }`);
    expect(r.openFds).toEqual([{ pid: 2, fd: 3, kind: 'fifo-read' }, { pid: 2, fd: 4, kind: 'fifo-write' }]);
  });

  test('a signal interrupts an open blocked on a FIFO with EINTR, and the half-open end is abandoned', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.mkfifo('/tmp/f');
        await sys.signal('SIGALRM', async () => {});
        await sys.alarm(10);
        try { await sys.open('/tmp/f', 'r'); } catch (e) { await sys.print(e.code, e.syscall, sys.now()); }
        try { await sys.open('/tmp/f', 'wn'); } catch (e) { await sys.print(e.code); }
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('EINTR open 10\nENXIO\n');
  });
});
