import { run } from '../test/support/kernel';
import type { RunResult } from './types';

/**
 * A tiny shell in the student's style: `pipeline(sys, [[name, ...args], ...])`
 * forks one child per stage, wires stage i's stdout to stage i+1's stdin with
 * pipe + dup2, closes every pipe fd, execs the stages and waits for them all.
 * It prints nothing itself; the last stage writes to the run's stdout.
 */
const SHELL = `
  export async function pipeline(sys, stages) {
    const pids = [];
    let input = 0;
    for (let i = 0; i < stages.length; i++) {
      const last = i === stages.length - 1;
      const [rd, wr] = last ? [-1, -1] : await sys.pipe();
      const pid = await sys.fork();
      if (pid === 0) {
        if (input !== 0) { await sys.dup2(input, 0); await sys.close(input); }
        if (!last) { await sys.dup2(wr, 1); await sys.close(wr); await sys.close(rd); }
        const [name, ...args] = stages[i];
        await sys.exec(name, args);
      }
      pids.push(pid);
      if (input !== 0) await sys.close(input);
      if (!last) { await sys.close(wr); input = rd; }
    }
    const statuses = {};
    for (const _ of pids) { const st = await sys.wait(); statuses[pids.indexOf(st.pid)] = st.signal ?? st.status; }
    return pids.map((_, i) => statuses[i]);
  }`;

/** Runs the stages as a pipeline from pid 2, which writes the stages' statuses (or killing signals) as JSON to stderr. */
function pipeline(stages: string[][], options: Parameters<typeof run>[1] = {}): Promise<RunResult> {
  return run(`${SHELL}
    export default async function main(sys) {
      const statuses = await pipeline(sys, ${JSON.stringify(stages)});
      await sys.write(2, JSON.stringify(statuses));
    }`, options);
}

describe('exec of the /bin programs in pipelines', () => {
  test('echo hi | tr a-z A-Z prints HI', async () => {
    const r = await pipeline([['echo', 'hi'], ['tr', 'a-z', 'A-Z']]);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('HI\n');
    expect(r.stderr).toBe('[0,0]');
  });

  test('echo -n leaves off the newline', async () => {
    const r = await pipeline([['echo', '-n', 'a', 'b']]);
    expect(r.stdout).toBe('a b');
  });

  test('cat copies stdin, or the named files, to stdout', async () => {
    const r = await pipeline([['cat', 'one.txt', '/home/two.txt'], ['cat']], { files: { 'one.txt': '1\n', 'two.txt': '2\n' } });
    expect(r.stdout).toBe('1\n2\n');
    expect(r.stderr).toBe('[0,0]');
  });

  test('ls lists the working directory (/home), one name per line, sorted', async () => {
    const r = await pipeline([['ls']], { files: { 'b.txt': '', 'a.txt': '', 'C.txt': '' } });
    expect(r.stdout).toBe('C.txt\na.txt\nb.txt\n');
  });

  test('ls /bin lists at least every program the spec names', async () => {
    const r = await pipeline([['ls', '/bin']]);
    const names = r.stdout.trimEnd().split('\n');
    for (const name of ['echo', 'cat', 'wc', 'sort', 'uniq', 'grep', 'head', 'tr', 'ls', 'tee', 'yes', 'true', 'false', 'sleep']) {
      expect(names).toContain(name);
    }
    expect([...names].sort()).toEqual(names);
  });

  test('sort orders lines, sort -n numerically and sort -r in reverse', async () => {
    const files = { 'n.txt': '10\n9\n100\n-1\n' };
    expect((await pipeline([['cat', 'n.txt'], ['sort']], { files })).stdout).toBe('-1\n10\n100\n9\n');
    expect((await pipeline([['cat', 'n.txt'], ['sort', '-n']], { files })).stdout).toBe('-1\n9\n10\n100\n');
    expect((await pipeline([['cat', 'n.txt'], ['sort', '-r', '-n']], { files })).stdout).toBe('100\n10\n9\n-1\n');
  });

  test('wc -l counts lines; wc alone prints lines, words and characters one space apart', async () => {
    const files = { 'f.txt': 'one two\nthree\n' };
    expect((await pipeline([['cat', 'f.txt'], ['wc', '-l']], { files })).stdout).toBe('2\n');
    expect((await pipeline([['cat', 'f.txt'], ['wc']], { files })).stdout).toBe('2 3 14\n');
    expect((await pipeline([['cat', 'f.txt'], ['wc', '-w']], { files })).stdout).toBe('3\n');
    expect((await pipeline([['cat', 'f.txt'], ['wc', '-c']], { files })).stdout).toBe('14\n');
  });

  test('sort | uniq -c counts each distinct line as "COUNT LINE"', async () => {
    const r = await pipeline([['cat', 'w.txt'], ['sort'], ['uniq', '-c']], { files: { 'w.txt': 'b\na\nb\nc\nb\na\n' } });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('2 a\n3 b\n1 c\n');
    expect(r.stderr).toBe('[0,0,0]');
  });

  test('uniq without -c collapses adjacent duplicates only', async () => {
    const r = await pipeline([['cat', 'w.txt'], ['uniq']], { files: { 'w.txt': 'a\na\nb\na\n' } });
    expect(r.stdout).toBe('a\nb\na\n');
  });

  test('grep keeps lines matching a JavaScript regular expression; grep -v keeps the others', async () => {
    const files = { 'l.txt': 'apple\nbanana\ncherry\navocado\n' };
    expect((await pipeline([['cat', 'l.txt'], ['grep', '^a']], { files })).stdout).toBe('apple\navocado\n');
    expect((await pipeline([['cat', 'l.txt'], ['grep', '-v', 'an|rr']], { files })).stdout).toBe('apple\navocado\n');
  });

  test('grep exits 1 when no line matched', async () => {
    const r = await pipeline([['echo', 'x'], ['grep', 'y']]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('[0,1]');
  });

  test('head -n 2 keeps the first two lines; head alone keeps ten', async () => {
    const files = { 'l.txt': Array.from({ length: 15 }, (_, i) => `${i + 1}\n`).join('') };
    expect((await pipeline([['cat', 'l.txt'], ['head', '-n', '2']], { files })).stdout).toBe('1\n2\n');
    expect((await pipeline([['cat', 'l.txt'], ['head']], { files })).stdout.split('\n').length).toBe(11);
  });

  test('yes | head -n 3 terminates: head exits after three lines and yes dies of SIGPIPE', async () => {
    const r = await pipeline([['yes'], ['head', '-n', '3']]);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('y\ny\ny\n');
    expect(r.stderr).toBe('["SIGPIPE",0]');
  });

  test('yes WORD repeats the word', async () => {
    const r = await pipeline([['yes', 'ok'], ['head', '-n', '2']]);
    expect(r.stdout).toBe('ok\nok\n');
  });

  test('tee FILE copies stdin to stdout and to the file', async () => {
    const r = await run(`${SHELL}
      export default async function main(sys) {
        await pipeline(sys, [['echo', 'saved'], ['tee', '/tmp/copy'], ['tr', 'a-z', 'A-Z']]);
        const fd = await sys.open('/tmp/copy', 'r');
        await sys.print('file:', await sys.read(fd, 100));
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('SAVED\nfile: saved\n\n');
  });

  test('a long pipeline of several programs streams everything through', async () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i % 7}`).join('\n') + '\n';
    const r = await pipeline([['cat', 'big.txt'], ['sort'], ['uniq', '-c'], ['sort', '-r', '-n'], ['head', '-n', '3']], { files: { 'big.txt': words } });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('29 w3\n29 w2\n29 w1\n');
  });

  test('a pipeline prints the same under every schedule, even with small pipes', async () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i % 7}`).join('\n') + '\n';
    for (let seed = 1; seed <= 12; seed++) {
      const options = { schedule: seed % 2 ? 'random' as const : 'pct' as const, seed, pipeCapacity: 16, files: { 'big.txt': words } };
      const sorted = await pipeline([['cat', 'big.txt'], ['sort'], ['uniq', '-c'], ['sort', '-r', '-n'], ['head', '-n', '3']], options);
      expect(sorted.status).toBe('ok');
      expect(sorted.stdout).toBe('29 w3\n29 w2\n29 w1\n');
      const endless = await pipeline([['yes', 'abc'], ['tr', 'a-z', 'A-Z'], ['grep', '-v', 'x'], ['head', '-n', '2']], options);
      expect(endless.status).toBe('ok');
      expect(endless.stdout).toBe('ABC\nABC\n');
    }
  });

  test('true exits 0 and false exits 1', async () => {
    expect((await pipeline([['true']])).stderr).toBe('[0]');
    expect((await pipeline([['false']])).stderr).toBe('[1]');
  });

  test('sleep 1 advances simulated time by 1000 ms', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) await sys.exec('sleep', ['1']);
        await sys.wait();
        await sys.print('now', sys.now());
      }`);
    expect(r.stdout).toBe('now 1000\n');
    expect(r.simTimeMs).toBe(1000);
  });

  test('programs read a file given as an argument instead of stdin', async () => {
    const r = await pipeline([['wc', '-l', 'f.txt']], { files: { 'f.txt': 'a\nb\n' } });
    expect(r.stdout).toBe('2 f.txt\n');
  });

  test('a program given a missing file reports it on stderr and fails', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) await sys.exec('cat', ['nope.txt']);
        await sys.print((await sys.wait()).status);
      }`);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toMatch(/^cat: nope\.txt: No such file or directory\n$/);
  });
});

describe('exec', () => {
  test('exec replaces the whole process image: code after exec never runs and the pid stays the same', async () => {
    const r = await run(`
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) {
          await sys.exec('/bin/echo', ['child', 'ran', 'echo']);
          await sys.print('never');
        }
        const st = await sys.wait();
        await sys.print(st.pid === pid, st.status);
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('child ran echo\ntrue 0\n');
  });

  test('pid 2 itself can exec a program; its exit status is the program\'s', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.exec('false');
      }`);
    expect(r.status).toBe('ok');
    expect(r.processes).toEqual([expect.objectContaining({ pid: 2, status: 1 })]);
  });

  test('exec with no argument list runs the program with no arguments', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.exec('/bin/echo');
      }`);
    expect(r.stdout).toBe('\n');
  });

  test('exec of an unknown program rejects with ENOENT and the process goes on', async () => {
    const r = await run(`
      export default async function main(sys) {
        for (const path of ['nosuch', '/bin/nosuch', '/tmp/x', 'bin/cat']) {
          try { await sys.exec(path, []); } catch (e) { await sys.print(e.code, e.syscall); }
        }
        await sys.print('still here');
      }`);
    expect(r.stdout).toBe('ENOENT exec\n'.repeat(4) + 'still here\n');
  });

  test('exec of a file that is not a program rejects with ENOENT', async () => {
    const r = await run(`
      export default async function main(sys) {
        try { await sys.exec('/home/script.sh', []); } catch (e) { await sys.print(e.code); }
      }`, { files: { 'script.sh': 'echo hi' } });
    expect(r.stdout).toBe('ENOENT\n');
  });

  test('exec keeps open fds: a program exec\'d with stdin redirected from a file reads that file', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) {
          const fd = await sys.open('in.txt', 'r');
          await sys.dup2(fd, 0);
          await sys.close(fd);
          const out = await sys.open('/tmp/out', 'w');
          await sys.dup2(out, 1);
          await sys.close(out);
          await sys.exec('sort', []);
        }
        await sys.wait();
        const fd = await sys.open('/tmp/out', 'r');
        await sys.print(await sys.read(fd, 100));
      }`, { files: { 'in.txt': 'c\na\nb\n' } });
    expect(r.stdout).toBe('a\nb\nc\n\n');
  });

  test('exec keeps fds above 2 open too: they show in the report when the program exits', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) {
          await sys.open('/tmp/kept', 'w');
          await sys.exec('true', []);
        }
        await sys.wait();
      }`);
    expect(r.openFds).toEqual([{ pid: 3, fd: 3, kind: 'file' }]);
  });

  test('exec resets handled signals to their default action', async () => {
    const r = await run(`
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) {
          await sys.signal('SIGUSR1', async () => {});
          await sys.exec('sleep', ['1']);
        }
        await sys.sleep(10);
        await sys.kill(pid, 'SIGUSR1');
        await sys.print(JSON.stringify(await sys.wait()));
      }`);
    expect(r.stdout).toBe('{"pid":3,"status":null,"signal":"SIGUSR1"}\n');
  });

  test('exec keeps ignored signals ignored', async () => {
    const r = await run(`
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) {
          await sys.signal('SIGINT', 'ignore');
          await sys.exec('sleep', ['1']);
        }
        await sys.sleep(10);
        await sys.kill(pid, 'SIGINT');
        await sys.print(JSON.stringify(await sys.wait()), sys.now());
      }`);
    expect(r.stdout).toBe('{"pid":3,"status":0,"signal":null} 1000\n');
  });

  test('exec passes its arguments as strings', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.exec('echo', [1, true, 'x']);
      }`);
    expect(r.stdout).toBe('1 true x\n');
  });

  test('exec with arguments that are not an array rejects with EINVAL', async () => {
    const r = await run(`
      export default async function main(sys) {
        try { await sys.exec('echo', 'hi'); } catch (e) { await sys.print(e.code); }
      }`);
    expect(r.stdout).toBe('EINVAL\n');
  });

  test('exec from a process with other threads ends those threads', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.thread(async () => { await sys.sleep(50); await sys.print('thread survived'); });
        await sys.exec('echo', ['exec won']);
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('exec won\n');
    expect(r.simTimeMs).toBe(0);
  });

  test('a program writing to a pipe nobody reads dies of SIGPIPE, and a reader that quits early does not hang the writer', async () => {
    const r = await pipeline([['cat', 'big.txt'], ['head', '-n', '1']], { files: { 'big.txt': 'line\n'.repeat(500) } });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('line\n');
    expect(JSON.parse(r.stderr)[1]).toBe(0);
    expect(['SIGPIPE', 0]).toContain(JSON.parse(r.stderr)[0]);
  });

  test('a pipeline whose parent forgets to close a write end deadlocks, and the report names the program\'s read', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        if (await sys.fork() === 0) {
          await sys.dup2(rd, 0);
          await sys.close(rd);
          await sys.close(wr);
          await sys.exec('wc', ['-l']);
        }
        await sys.close(rd);
        await sys.write(wr, 'a\\nb\\n');
        await sys.wait();
      }`);
    expect(r.status).toBe('deadlock');
    expect(r.deadlock!.blocked).toEqual([
      { pid: 2, tid: 2, call: 'wait', detail: expect.stringContaining('pid 3') },
      { pid: 3, tid: 3, call: 'read', detail: expect.stringContaining('pid 2 (fd 4)') },
    ]);
  });
});
