import { run } from '../test/support/kernel';

describe('descriptor numbers', () => {
  test('fd 0 reads the run\'s stdin, fd 1 is stdout and fd 2 is stderr', async () => {
    const r = await run(`
      export default async function main(sys) {
        const a = await sys.read(0, 3);
        const b = await sys.read(0, 100);
        const end = await sys.read(0, 100);
        await sys.write(1, a + '|' + b + '|' + JSON.stringify(end));
        await sys.write(2, 'err');
      }`, { stdin: 'hello world' });
    expect(r.stdout).toBe('hel|lo world|""');
    expect(r.stderr).toBe('err');
  });

  test('the first descriptor a process opens is 3', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.print(await sys.open('/tmp/a', 'w'));
      }`);
    expect(r.stdout).toBe('3\n');
  });

  test('open, pipe and dup always use the lowest free fd', async () => {
    const r = await run(`
      export default async function main(sys) {
        const a = await sys.open('/tmp/a', 'w');
        const b = await sys.open('/tmp/b', 'w');
        const c = await sys.open('/tmp/c', 'w');
        await sys.close(a);
        const d = await sys.open('/tmp/d', 'w');
        await sys.close(b);
        await sys.close(0);
        const p = await sys.pipe();
        await sys.close(c);
        const e = await sys.dup(d);
        await sys.print(a, b, c, d, JSON.stringify(p), e);
      }`);
    expect(r.stdout).toBe('3 4 5 3 [0,4] 5\n');
  });

  test('closing stdout frees fd 1 for the next open', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.close(1);
        const fd = await sys.open('/tmp/out', 'w');
        await sys.print('redirected');
        const again = await sys.open('/tmp/out', 'r');
        await sys.write(2, fd + ':' + await sys.read(again, 100));
      }`);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('1:redirected\n');
  });
});

describe('close, dup and dup2', () => {
  test('close of an fd that is not open rejects with EBADF', async () => {
    const r = await run(`
      export default async function main(sys) {
        for (const fd of [3, 99, -1, 1.5, 'x']) {
          try { await sys.close(fd); } catch (e) { await sys.print(e.code, e.syscall); }
        }
      }`);
    expect(r.stdout).toBe('EBADF close\n'.repeat(5));
  });

  test('closing an fd twice rejects the second time with EBADF', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('/tmp/a', 'w');
        await sys.close(fd);
        try { await sys.close(fd); } catch (e) { await sys.print(e.code); }
      }`);
    expect(r.stdout).toBe('EBADF\n');
  });

  test('read and write of a closed fd reject with EBADF', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('/tmp/a', 'rw');
        await sys.close(fd);
        try { await sys.read(fd, 1); } catch (e) { await sys.print(e.code, e.syscall); }
        try { await sys.write(fd, 'x'); } catch (e) { await sys.print(e.code, e.syscall); }
      }`);
    expect(r.stdout).toBe('EBADF read\nEBADF write\n');
  });

  test('dup returns a new fd that shares the offset with the original', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('data.txt', 'r');
        const copy = await sys.dup(fd);
        const a = await sys.read(fd, 3);
        const b = await sys.read(copy, 3);
        await sys.close(fd);
        const c = await sys.read(copy, 10);
        await sys.print(fd, copy, a, b, c);
      }`, { files: { 'data.txt': 'abcdefghij' } });
    expect(r.stdout).toBe('3 4 abc def ghij\n');
  });

  test('dup of a bad fd rejects with EBADF', async () => {
    const r = await run(`
      export default async function main(sys) {
        try { await sys.dup(7); } catch (e) { await sys.print(e.code, e.syscall); }
      }`);
    expect(r.stdout).toBe('EBADF dup\n');
  });

  test('dup2(fd, 1) sends stdout into a file; the original fd can then be closed', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('/tmp/out', 'w');
        const got = await sys.dup2(fd, 1);
        await sys.close(fd);
        await sys.write(1, 'one ');
        await sys.print('two');
        const check = await sys.open('/tmp/out', 'r');
        await sys.write(2, got + ' ' + await sys.read(check, 100));
      }`);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('1 one two\n');
  });

  test('dup2 onto an open fd closes that fd first (the last write end of a pipe closing means EOF)', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        const file = await sys.open('/tmp/f', 'w');
        await sys.write(wr, 'data');
        await sys.dup2(file, wr);
        const first = await sys.read(rd, 100);
        const second = await sys.read(rd, 100);
        await sys.write(wr, 'to file');
        const check = await sys.open('/tmp/f', 'r');
        await sys.print(first, JSON.stringify(second), await sys.read(check, 100));
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('data "" to file\n');
  });

  test('dup2 of an fd onto itself returns it and leaves it open', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        const got = await sys.dup2(wr, wr);
        await sys.write(wr, 'still open');
        await sys.close(wr);
        await sys.print(got === wr, await sys.read(rd, 100), JSON.stringify(await sys.read(rd, 100)));
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('true still open ""\n');
  });

  test('dup2 onto an fd that already refers to the same description leaves both open', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        const copy = await sys.dup(wr);
        await sys.dup2(wr, copy);
        await sys.close(wr);
        await sys.write(copy, 'via copy');
        await sys.print(await sys.read(rd, 100));
      }`);
    expect(r.stdout).toBe('via copy\n');
  });

  test('dup2 onto a free fd above the lowest uses exactly that fd', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('/tmp/a', 'w');
        await sys.print(await sys.dup2(fd, 10), await sys.open('/tmp/b', 'w'));
        await sys.write(10, 'x');
      }`);
    expect(r.stdout).toBe('10 4\n');
  });

  test('dup2 from a bad fd rejects with EBADF and leaves the target open', async () => {
    const r = await run(`
      export default async function main(sys) {
        try { await sys.dup2(9, 1); } catch (e) { await sys.print(e.code, e.syscall); }
        try { await sys.dup2(1, -1); } catch (e) { await sys.print(e.code, e.syscall); }
        await sys.print('stdout still works');
      }`);
    expect(r.stdout).toBe('EBADF dup2\nEBADF dup2\nstdout still works\n');
  });

  test('reading an fd open only for writing rejects with EBADF', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        const file = await sys.open('/tmp/a', 'w');
        for (const fd of [1, wr, file]) {
          try { await sys.read(fd, 1); } catch (e) { await sys.print(e.code, e.syscall); }
        }
      }`);
    expect(r.stdout).toBe('EBADF read\n'.repeat(3));
  });

  test('writing an fd open only for reading rejects with EBADF', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        const file = await sys.open('data.txt', 'r');
        for (const fd of [0, rd, file]) {
          try { await sys.write(fd, 'x'); } catch (e) { await sys.print(e.code, e.syscall); }
        }
      }`, { files: { 'data.txt': '' } });
    expect(r.stdout).toBe('EBADF write\n'.repeat(3));
  });

  test('a forked child shares its parent\'s open file descriptions (and so the offset)', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('data.txt', 'r');
        if (await sys.fork() === 0) {
          await sys.print('child', await sys.read(fd, 4));
          return;
        }
        await sys.wait();
        await sys.print('parent', await sys.read(fd, 4));
      }`, { files: { 'data.txt': '11112222' } });
    expect(r.stdout).toBe('child 1111\nparent 2222\n');
  });

  test('closing an fd in the child does not close it in the parent', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('/tmp/f', 'w');
        if (await sys.fork() === 0) { await sys.close(fd); return; }
        await sys.wait();
        await sys.print(await sys.write(fd, 'abc'));
      }`);
    expect(r.stdout).toBe('3\n');
  });
});

describe('files', () => {
  test("files given by the exercise are readable under /home, by relative and absolute path", async () => {
    const r = await run(`
      export default async function main(sys) {
        const a = await sys.open('notes.txt', 'r');
        const b = await sys.open('/home/notes.txt', 'r');
        const c = await sys.open('./sub/deep.txt', 'r');
        await sys.print(await sys.read(a, 100), await sys.read(b, 100), await sys.read(c, 100));
      }`, { files: { 'notes.txt': 'hi', 'sub/deep.txt': 'deep' } });
    expect(r.stdout).toBe('hi hi deep\n');
  });

  test('read returns at most the number asked for, then \'\' at end of file', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('f', 'r');
        const parts = [];
        for (;;) { const s = await sys.read(fd, 4); parts.push(s); if (s === '') break; }
        await sys.print(JSON.stringify(parts));
      }`, { files: { f: 'abcdefghij' } });
    expect(r.stdout).toBe('["abcd","efgh","ij",""]\n');
  });

  test('write resolves to the number of characters written', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('/tmp/f', 'w');
        await sys.print(await sys.write(fd, 'hello'), await sys.write(fd, ''));
      }`);
    expect(r.stdout).toBe('5 0\n');
  });

  test("open 'r' of a missing file rejects with ENOENT", async () => {
    const r = await run(`
      export default async function main(sys) {
        try { await sys.open('missing.txt', 'r'); } catch (e) { await sys.print(e.code, e.syscall); }
        try { await sys.open('/tmp/nodir/x', 'w'); } catch (e) { await sys.print(e.code, e.syscall); }
      }`);
    expect(r.stdout).toBe('ENOENT open\nENOENT open\n');
  });

  test("open with no flags opens for reading", async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('f');
        await sys.print(await sys.read(fd, 10));
        try { await sys.write(fd, 'x'); } catch (e) { await sys.print(e.code); }
      }`, { files: { f: 'content' } });
    expect(r.stdout).toBe('content\nEBADF\n');
  });

  test("open 'w' creates a missing file and truncates an existing one", async () => {
    const r = await run(`
      export default async function main(sys) {
        const a = await sys.open('new.txt', 'w');
        await sys.write(a, 'fresh');
        const b = await sys.open('old.txt', 'w');
        await sys.write(b, 'xy');
        const ra = await sys.open('new.txt', 'r');
        const rb = await sys.open('old.txt', 'r');
        await sys.print(await sys.read(ra, 100), await sys.read(rb, 100));
      }`, { files: { 'old.txt': 'a long old text' } });
    expect(r.stdout).toBe('fresh xy\n');
  });

  test("open 'w' is write-only", async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('/tmp/w', 'w');
        try { await sys.read(fd, 1); } catch (e) { await sys.print(e.code); }
      }`);
    expect(r.stdout).toBe('EBADF\n');
  });

  test("open 'a' creates a missing file and appends to an existing one, however the offset moved", async () => {
    const r = await run(`
      export default async function main(sys) {
        const a = await sys.open('log.txt', 'a');
        await sys.write(a, '+1');
        const other = await sys.open('log.txt', 'a');
        await sys.write(other, '+2');
        await sys.write(a, '+3');
        const n = await sys.open('/tmp/new', 'a');
        await sys.write(n, 'new');
        const check = await sys.open('log.txt', 'r');
        const check2 = await sys.open('/tmp/new', 'r');
        await sys.print(await sys.read(check, 100), await sys.read(check2, 100));
      }`, { files: { 'log.txt': 'start' } });
    expect(r.stdout).toBe('start+1+2+3 new\n');
  });

  test("open 'rw' creates a missing file, keeps an existing one, and reads and writes at one offset", async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('f.txt', 'rw');
        const head = await sys.read(fd, 3);
        await sys.write(fd, 'XY');
        const rest = await sys.read(fd, 100);
        const made = await sys.open('/tmp/made', 'rw');
        await sys.write(made, 'm');
        const check = await sys.open('f.txt', 'r');
        await sys.print(head, rest, await sys.read(check, 100), JSON.stringify(await sys.read(made, 5)));
      }`, { files: { 'f.txt': 'abcdefg' } });
    expect(r.stdout).toBe('abc fg abcXYfg ""\n');
  });

  test("'n' added to the flags of a regular file changes nothing: reads and writes never block anyway", async () => {
    const r = await run(`
      export default async function main(sys) {
        const w = await sys.open('/tmp/f', 'wn');
        await sys.write(w, 'abc');
        const rd = await sys.open('/tmp/f', 'rn');
        await sys.print(await sys.read(rd, 10), JSON.stringify(await sys.read(rd, 10)));
      }`);
    expect(r.stdout).toBe('abc ""\n');
  });

  test("open of a directory rejects with EISDIR", async () => {
    const r = await run(`
      export default async function main(sys) {
        for (const path of ['/tmp', '/home', '.', '/']) {
          try { await sys.open(path, 'r'); } catch (e) { await sys.print(e.code, e.syscall); }
        }
      }`);
    expect(r.stdout).toBe('EISDIR open\n'.repeat(4));
  });

  test('files can be written only in /home and /tmp', async () => {
    const r = await run(`
      export default async function main(sys) {
        for (const [path, flags] of [['/top.txt', 'w'], ['/bin/new', 'w'], ['/bin/cat', 'w'], ['/bin/cat', 'a'], ['/bin/cat', 'rw']]) {
          try { await sys.open(path, flags); await sys.print('opened', path); } catch (e) { await sys.print(e.code, path); }
        }
        await sys.open('/tmp/ok', 'w');
        await sys.open('/home/ok', 'w');
        await sys.open('ok2', 'w');
        await sys.print('home and tmp are writable');
      }`);
    expect(r.stdout).toBe('EACCES /top.txt\nEACCES /bin/new\nEACCES /bin/cat\nEACCES /bin/cat\nEACCES /bin/cat\nhome and tmp are writable\n');
  });

  test('bad open flags reject with EINVAL', async () => {
    const r = await run(`
      export default async function main(sys) {
        for (const flags of ['x', 'wr', 'rr', 42]) {
          try { await sys.open('/tmp/f', flags); } catch (e) { await sys.print(e.code); }
        }
      }`);
    expect(r.stdout).toBe('EINVAL\n'.repeat(4));
  });

  test('a file written by one process is read by another', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) {
          const fd = await sys.open('/tmp/shared', 'w');
          await sys.write(fd, 'from child');
          await sys.close(fd);
          return;
        }
        await sys.wait();
        const fd = await sys.open('/tmp/shared', 'r');
        await sys.print(await sys.read(fd, 100));
      }`);
    expect(r.stdout).toBe('from child\n');
  });

  test('reading a regular file never blocks: at its end read returns \'\' even while a writer has it open', async () => {
    const r = await run(`
      export default async function main(sys) {
        const w = await sys.open('/tmp/f', 'w');
        const rd = await sys.open('/tmp/f', 'r');
        const first = await sys.read(rd, 10);
        await sys.write(w, 'late');
        await sys.print(JSON.stringify(first), await sys.read(rd, 10));
      }`);
    expect(r.stdout).toBe('"" late\n');
  });

  test('unlink removes a file: opening it for reading then rejects with ENOENT', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.unlink('gone.txt');
        try { await sys.open('gone.txt', 'r'); } catch (e) { await sys.print(e.code); }
        const fd = await sys.open('/tmp/t', 'w');
        await sys.close(fd);
        await sys.unlink('/tmp/t');
        try { await sys.open('/tmp/t', 'r'); } catch (e) { await sys.print(e.code); }
      }`, { files: { 'gone.txt': 'x' } });
    expect(r.stdout).toBe('ENOENT\nENOENT\n');
  });

  test('an fd open on an unlinked file still reads it', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('keep.txt', 'r');
        await sys.unlink('keep.txt');
        await sys.print(await sys.read(fd, 100));
      }`, { files: { 'keep.txt': 'still here' } });
    expect(r.stdout).toBe('still here\n');
  });

  test('unlink of a missing path rejects with ENOENT; of a directory with EISDIR; of a program with EACCES', async () => {
    const r = await run(`
      export default async function main(sys) {
        for (const path of ['nope', '/tmp', '/bin/cat']) {
          try { await sys.unlink(path); } catch (e) { await sys.print(e.code, e.syscall); }
        }
      }`);
    expect(r.stdout).toBe('ENOENT unlink\nEISDIR unlink\nEACCES unlink\n');
  });

  test('read asks for a positive whole number of characters', async () => {
    const r = await run(`
      export default async function main(sys) {
        for (const n of [-1, 1.5, 'x']) {
          try { await sys.read(0, n); } catch (e) { await sys.print(e.code); }
        }
      }`);
    expect(r.stdout).toBe('EINVAL\n'.repeat(3));
  });

  test('write takes a string; anything else rejects with EINVAL', async () => {
    const r = await run(`
      export default async function main(sys) {
        for (const data of [42, null, { a: 1 }]) {
          try { await sys.write(1, data); } catch (e) { await sys.print(e.code); }
        }
      }`);
    expect(r.stdout).toBe('EINVAL\n'.repeat(3));
  });
});

describe('descriptors left open', () => {
  test('fds other than 0, 1, 2 still open when a process exits are reported with their kind', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.open('/tmp/f', 'w');
        await sys.pipe();
      }`);
    expect(r.openFds).toEqual([
      { pid: 2, fd: 3, kind: 'file' },
      { pid: 2, fd: 4, kind: 'pipe-read' },
      { pid: 2, fd: 5, kind: 'pipe-write' },
    ]);
  });

  test('closed fds are not reported, nor are 0, 1 and 2', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('/tmp/f', 'w');
        const [rd, wr] = await sys.pipe();
        await sys.close(fd); await sys.close(rd); await sys.close(wr);
      }`);
    expect(r.openFds).toEqual([]);
  });

  test('a process killed by a signal never had the chance to close, so its fds are not reported', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        const pid = await sys.fork();
        if (pid === 0) { await sys.close(rd); await sys.sleep(100); return; }
        await sys.close(wr);
        await sys.kill(pid, 'SIGKILL');
        await sys.wait();
        await sys.close(rd);
      }`);
    expect(r.openFds).toEqual([]);
  });

  test('a socketpair end and a dup2 target above 2 are reported too', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [a, b] = await sys.socketpair();
        await sys.close(a);
        await sys.dup2(b, 8);
        await sys.close(b);
      }`);
    expect(r.openFds).toEqual([{ pid: 2, fd: 8, kind: 'socketpair' }]);
  });
});
