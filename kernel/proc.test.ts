import { run, runKernel, moduleFrom } from '../test/support/kernel';
import type { RunResult } from './types';

/** The report of one process of a run. */
function proc(result: RunResult, pid: number) {
  const found = result.processes.find((p) => p.pid === pid);
  if (!found) throw new Error(`no process ${pid} in the report`);
  return found;
}

describe('pids and parents', () => {
  test('the first user process is pid 2 and its parent is init (pid 1)', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.print(sys.getpid(), sys.getppid());
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('2 1\n');
    expect(r.processes).toEqual([expect.objectContaining({ pid: 2, ppid: 1, status: 0, signal: null })]);
  });

  test('getpid, getppid and gettid answer synchronously, not with a promise', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.print(typeof sys.getpid(), typeof sys.getppid(), typeof sys.gettid(), typeof sys.now());
      }`);
    expect(r.stdout).toBe('number number number number\n');
  });

  test('pids count up from 2 and are never reused, even after a child is reaped', async () => {
    const r = await run(`
      export default async function main(sys) {
        const seen = [];
        for (let i = 0; i < 3; i++) {
          const pid = await sys.fork();
          if (pid === 0) return 0;
          seen.push(pid);
          await sys.wait();
        }
        await sys.print(seen.join(' '));
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('3 4 5\n');
  });

  test("a child's getppid is its parent's pid", async () => {
    const r = await run(`
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) {
          await sys.print('child', sys.getpid(), 'parent', sys.getppid());
          return;
        }
        await sys.wait();
      }`);
    expect(r.stdout).toBe('child 3 parent 2\n');
    expect(proc(r, 3).ppid).toBe(2);
  });

  test('an orphan is re-parented to init: its getppid becomes 1, and init reaps it', async () => {
    const r = await run(`
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) {
          const before = sys.getppid();
          await sys.sleep(10);
          await sys.print('before', before, 'after', sys.getppid());
          return 4;
        }
        await sys.sleep(5);
        return 0;
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('before 2 after 1\n');
    expect(proc(r, 3)).toMatchObject({ status: 4, signal: null });
    expect(r.zombies).toEqual([]);
  });

  test('a grandchild orphaned twice still ends up with init as parent', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) {
          if (await sys.fork() === 0) {
            await sys.sleep(20);
            await sys.print('grandchild parent', sys.getppid());
            return;
          }
          await sys.sleep(10);
          return;
        }
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('grandchild parent 1\n');
    expect(r.zombies).toEqual([]);
  });
});

describe('fork', () => {
  test('fork returns twice: the child pid in the parent and 0 in the child', async () => {
    const r = await run(`
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) await sys.print('child got', pid, 'as', sys.getpid());
        else {
          await sys.wait();
          await sys.print('parent got', pid);
        }
      }`);
    expect(r.stdout).toBe('child got 0 as 3\nparent got 3\n');
  });

  test("a top-level variable the child changes is unchanged in the parent, and the other way round", async () => {
    const r = await run(`
      let counter = 10;
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) {
          counter += 1;
          await sys.sleep(10);
          await sys.print('child sees', counter);
          return;
        }
        counter += 100;
        await sys.wait();
        await sys.print('parent sees', counter);
      }`);
    expect(r.stdout).toBe('child sees 11\nparent sees 110\n');
  });

  test('an object mutated in the child is unchanged in the parent', async () => {
    const r = await run(`
      const shared = { items: ['a'] };
      export default async function main(sys) {
        const local = { n: 1 };
        if (await sys.fork() === 0) {
          shared.items.push('child');
          local.n = 99;
          return;
        }
        await sys.wait();
        await sys.print(JSON.stringify(shared), local.n);
      }`);
    expect(r.stdout).toBe('{"items":["a"]} 1\n');
  });

  test('a closure counter advanced in the child is unchanged in the parent', async () => {
    const r = await run(`
      function makeCounter() { let n = 0; return () => ++n; }
      const next = makeCounter();
      export default async function main(sys) {
        next();
        if (await sys.fork() === 0) {
          next(); next(); next();
          await sys.print('child', next());
          return;
        }
        await sys.wait();
        await sys.print('parent', next());
      }`);
    expect(r.stdout).toBe('child 5\nparent 2\n');
  });

  test('state set before the fork (including results of earlier calls) is visible in the child', async () => {
    const r = await run(`
      let config = null;
      export default async function main(sys, argv) {
        config = { name: argv[0], list: [1, 2, 3] };
        const fd = await sys.open('/tmp/x', 'w');
        await sys.write(fd, 'abc');
        const t = sys.now();
        if (await sys.fork() === 0) {
          await sys.print(config.name, config.list.length, 'fd', fd, 'time', t);
          return;
        }
        await sys.wait();
      }`, { argv: ['cfg'] });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('cfg 3 fd 3 time 0\n');
  });

  test('nested forks work: a child can fork a grandchild and wait for it', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) {
          const g = await sys.fork();
          if (g === 0) {
            await sys.print('grandchild', sys.getpid(), 'of', sys.getppid());
            return 7;
          }
          const st = await sys.wait();
          await sys.print('child reaped', st.pid, 'status', st.status);
          return 1;
        }
        const st = await sys.wait();
        await sys.print('parent reaped', st.pid, 'status', st.status);
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('grandchild 4 of 3\nchild reaped 4 status 7\nparent reaped 3 status 1\n');
    expect(proc(r, 4).ppid).toBe(3);
  });

  test('fork inside a loop: each child sees its own loop index', async () => {
    const r = await run(`
      export default async function main(sys) {
        for (let i = 0; i < 4; i++) {
          if (await sys.fork() === 0) return 10 + i;
        }
        const statuses = {};
        for (let i = 0; i < 4; i++) {
          const st = await sys.wait();
          statuses[st.pid] = st.status;
        }
        await sys.print(JSON.stringify(statuses));
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('{"3":10,"4":11,"5":12,"6":13}\n');
  });

  test('fork in a loop whose children keep looping makes 2^n processes (the textbook count)', async () => {
    const r = await run(`
      export default async function main(sys) {
        let children = 0;
        for (let i = 0; i < 3; i++) {
          if (await sys.fork() !== 0) children++;
          else children = 0;
        }
        await sys.print('hello from', sys.getpid());
        for (let i = 0; i < children; i++) await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    const pids = r.stdout.trimEnd().split('\n').map((line) => Number(line.split(' ')[2])).sort((a, b) => a - b);
    expect(pids).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.zombies).toEqual([]);
  });

  test('a fork child of a fork child copies its own (not the original) state', async () => {
    const r = await run(`
      let depth = 0;
      export default async function main(sys) {
        for (let i = 0; i < 3; i++) {
          const pid = await sys.fork();
          if (pid !== 0) { await sys.wait(); break; }
          depth++;
        }
        await sys.print(sys.getpid(), 'depth', depth);
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('5 depth 3\n4 depth 2\n3 depth 1\n2 depth 0\n');
  });

  test('fork after a thread has run: the child sees what the thread did, and only the forking thread is copied', async () => {
    const r = await run(`
      let done = [];
      export default async function main(sys) {
        const t = await sys.thread(async () => { done.push('worker'); return 5; });
        const got = await sys.join(t);
        const sleeper = await sys.thread(async () => { await sys.sleep(50); await sys.print('sleeper in', sys.getpid()); });
        if (await sys.fork() === 0) {
          await sys.print('child sees', done.join(','), got);
          await sys.sleep(100);
          return;
        }
        await sys.join(sleeper);
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('child sees worker 5\nsleeper in 2\n');
  });

  test('fork after a signal handler is installed: the child has the handler, with its own state', async () => {
    const r = await run(`
      let hits = 0;
      export default async function main(sys) {
        await sys.signal('SIGUSR1', async () => { hits++; });
        const pid = await sys.fork();
        if (pid === 0) {
          try { await sys.pause(); } catch (e) { await sys.print('child', e.code, 'hits', hits); }
          return;
        }
        await sys.sleep(5);
        await sys.kill(pid, 'SIGUSR1');
        const st = await sys.wait();
        await sys.print('parent hits', hits, 'child status', st.status, st.signal);
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('child EINTR hits 1\nparent hits 0 child status 0 null\n');
  });

  test('a child inherits ignored signals', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.signal('SIGTERM', 'ignore');
        const pid = await sys.fork();
        if (pid === 0) { await sys.sleep(10); return 3; }
        await sys.kill(pid, 'SIGTERM');
        const st = await sys.wait();
        await sys.print(st.status, st.signal);
      }`);
    expect(r.stdout).toBe('3 null\n');
  });

  test("a thread that forks becomes the child's main thread: in the child gettid equals the new pid", async () => {
    const r = await run(`
      export default async function main(sys) {
        const t = await sys.thread(async () => {
          const pid = await sys.fork();
          if (pid === 0) {
            await sys.print('child', sys.getpid(), sys.gettid());
            await sys.exit(0);
          }
          await sys.wait();
          return pid;
        });
        await sys.print('forked', await sys.join(t));
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('child 3 3\nforked 3\n');
  });

  test('fork after a call was interrupted by a signal: the child repeats the parent\'s state exactly', async () => {
    const r = await run(`
      let log = [];
      export default async function main(sys) {
        await sys.signal('SIGALRM', async () => { log.push('alarm'); });
        await sys.alarm(10);
        try { await sys.sleep(100); } catch (e) { log.push(e.code); }
        if (await sys.fork() === 0) { await sys.print('child', log.join(',')); return; }
        await sys.wait();
        await sys.print('parent', log.join(','));
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('child alarm,EINTR\nparent alarm,EINTR\n');
  });

  test('a fork child is an exact copy of its parent whatever order threads and handlers ran in before the fork', async () => {
    const source = `
      let log = [];
      export default async function main(sys) {
        const [r, w] = await sys.pipe();
        await sys.signal('SIGUSR1', async () => { log.push('sig'); await sys.yield(); log.push('sig-end'); });
        const t1 = await sys.thread(async () => { for (let i = 0; i < 3; i++) { await sys.write(w, 'a' + i); log.push('w' + i); } });
        const t2 = await sys.thread(async () => { for (let i = 0; i < 3; i++) log.push('r' + await sys.read(r, 2)); return log.length; });
        await sys.kill(sys.getpid(), 'SIGUSR1');
        const pid = await sys.fork();
        const snapshot = log.join(',');
        if (pid === 0) { await sys.print('child', snapshot); return; }
        await sys.join(t1);
        const n = await sys.join(t2);
        await sys.wait();
        await sys.print('parent', snapshot);
        if (await sys.fork() === 0) { await sys.print('child2', log.join(','), n); return; }
        await sys.wait();
        await sys.print('parent2', log.join(','), n);
      }`;
    for (let seed = 1; seed <= 24; seed++) {
      const r = await run(source, { schedule: seed % 2 ? 'random' : 'pct', seed });
      expect(r.status).toBe('ok');
      expect(r.stderr).toBe('');
      const lines = new Map(r.stdout.trimEnd().split('\n').map((line) => [line.split(' ')[0], line.slice(line.indexOf(' ') + 1)]));
      expect(lines.get('child')).toBe(lines.get('parent'));
      expect(lines.get('child2')).toBe(lines.get('parent2'));
    }
  });

  test('a signal handler may fork: the child starts inside the handler', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.signal('SIGUSR1', async () => {
          const pid = await sys.fork();
          if (pid === 0) { await sys.print('child in handler', sys.getpid()); await sys.exit(5); }
          await sys.print('handler forked', pid);
        });
        await sys.kill(sys.getpid(), 'SIGUSR1');
        await sys.print('main goes on');
        await sys.print(JSON.stringify(await sys.wait()));
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('handler forked 3\nchild in handler 3\nmain goes on\n{"pid":3,"status":5,"signal":null}\n');
  });

  test('fork past the process limit rejects with EAGAIN', async () => {
    const r = await run(`
      export default async function main(sys) {
        const made = [];
        for (;;) {
          try {
            const pid = await sys.fork();
            if (pid === 0) { await sys.sleep(10); return; }
            made.push(pid);
          } catch (e) {
            await sys.print(e.code, e.syscall, made.length);
            break;
          }
        }
        while (made.length) { await sys.wait(); made.pop(); }
      }`, { maxProcs: 4 });
    expect(r.status).toBe('ok');
    // pid 2 and three children make four.
    expect(r.stdout).toBe('EAGAIN fork 3\n');
  });

  test('by default a run allows 64 processes at once, init not counted', async () => {
    const r = await run(`
      export default async function main(sys) {
        let made = 0;
        for (;;) {
          try {
            if (await sys.fork() === 0) { await sys.sleep(10); return; }
            made++;
          } catch (e) {
            await sys.print(e.code, made);
            break;
          }
        }
        for (let i = 0; i < made; i++) await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('EAGAIN 63\n');
  });

  test('zombies count against the process limit until they are waited for', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) return;
        await sys.sleep(10);
        try { await sys.fork(); } catch (e) { await sys.print('while zombie:', e.code); }
        await sys.wait();
        const pid = await sys.fork();
        if (pid === 0) return;
        await sys.print('after wait: pid', pid);
        await sys.wait();
      }`, { maxProcs: 2 });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('while zombie: EAGAIN\nafter wait: pid 4\n');
  });

  test('orphans reaped by init no longer count against the process limit', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) {
          if (await sys.fork() === 0) return;
          await sys.sleep(5);
          return;
        }
        await sys.wait();
        await sys.sleep(10);
        const a = await sys.fork();
        if (a === 0) return;
        const b = await sys.fork();
        if (b === 0) return;
        await sys.print('forked', a, b);
        await sys.wait(); await sys.wait();
      }`, { maxProcs: 3 });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('forked 5 6\n');
  });
});

describe('exit and wait', () => {
  test("returning a number from main is that process's exit status", async () => {
    const r = await run('export default async function main() { return 7; }');
    expect(r.processes[0]).toMatchObject({ pid: 2, status: 7, signal: null });
  });

  test('returning nothing from main is exit status 0', async () => {
    const r = await run('export default async function main() { }');
    expect(r.processes[0]).toMatchObject({ status: 0 });
  });

  test('exit(3) ends the process at once with status 3', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.print('before');
        await sys.exit(3);
        await sys.print('never');
      }`);
    expect(r.stdout).toBe('before\n');
    expect(r.processes[0]).toMatchObject({ status: 3, signal: null });
  });

  test('exit() with no argument is status 0', async () => {
    const r = await run('export default async function main(sys) { await sys.exit(); return 5; }');
    expect(r.processes[0]).toMatchObject({ status: 0 });
  });

  test("exit from a thread ends the whole process", async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.thread(async () => { await sys.exit(9); });
        await sys.sleep(100);
        await sys.print('never');
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('');
    expect(r.processes[0]).toMatchObject({ status: 9 });
  });

  test("wait returns the child's pid, exit status and a null signal", async () => {
    const r = await run(`
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) await sys.exit(42);
        const st = await sys.wait();
        await sys.print(JSON.stringify(st), pid);
      }`);
    expect(r.stdout).toBe('{"pid":3,"status":42,"signal":null} 3\n');
  });

  test('wait blocks until a child exits', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) { await sys.sleep(30); return 1; }
        const st = await sys.wait();
        await sys.print('reaped at', sys.now(), 'status', st.status);
      }`);
    expect(r.stdout).toBe('reaped at 30 status 1\n');
    expect(r.simTimeMs).toBe(30);
  });

  test('of several children that have exited, wait returns the one that exited first', async () => {
    const r = await run(`
      export default async function main(sys) {
        const slow = await sys.fork();
        if (slow === 0) { await sys.sleep(20); return 1; }
        const fast = await sys.fork();
        if (fast === 0) { await sys.sleep(10); return 2; }
        await sys.sleep(50);
        const first = await sys.wait();
        const second = await sys.wait();
        await sys.print(first.pid === fast, second.pid === slow);
      }`);
    expect(r.stdout).toBe('true true\n');
  });

  test('a child killed by a signal is reported with status null and the signal name', async () => {
    const r = await run(`
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) { await sys.sleep(1000); return 0; }
        await sys.kill(pid, 'SIGTERM');
        const st = await sys.wait();
        await sys.print(JSON.stringify(st));
      }`);
    expect(r.stdout).toBe('{"pid":3,"status":null,"signal":"SIGTERM"}\n');
    expect(proc(r, 3)).toMatchObject({ status: null, signal: 'SIGTERM' });
  });

  test('wait with no children rejects with ECHILD', async () => {
    const r = await run(`
      export default async function main(sys) {
        try { await sys.wait(); } catch (e) { await sys.print(e.code, e.syscall); }
      }`);
    expect(r.stdout).toBe('ECHILD wait\n');
  });

  test('wait after every child has been reaped rejects with ECHILD', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) return;
        await sys.wait();
        try { await sys.wait(); } catch (e) { await sys.print(e.code); }
      }`);
    expect(r.stdout).toBe('ECHILD\n');
  });

  test('waitpid(pid) waits for that child even when another exits first', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fast = await sys.fork();
        if (fast === 0) return 1;
        const slow = await sys.fork();
        if (slow === 0) { await sys.sleep(20); return 2; }
        const st = await sys.waitpid(slow);
        await sys.print('got', st.pid === slow, st.status, 'at', sys.now());
        const other = await sys.wait();
        await sys.print('then', other.pid === fast, other.status);
      }`);
    expect(r.stdout).toBe('got true 2 at 20\nthen true 1\n');
  });

  test('waitpid(-1) waits for any child', async () => {
    const r = await run(`
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) return 6;
        const st = await sys.waitpid(-1);
        await sys.print(st.pid === pid, st.status);
      }`);
    expect(r.stdout).toBe('true 6\n');
  });

  test('waitpid with nohang resolves to null while children are running, then to the exited child', async () => {
    const r = await run(`
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) { await sys.sleep(10); return 3; }
        const early = await sys.waitpid(-1, { nohang: true });
        const earlyPid = await sys.waitpid(pid, { nohang: true });
        await sys.sleep(20);
        const late = await sys.waitpid(pid, { nohang: true });
        await sys.print(early, earlyPid, late.pid === pid, late.status);
      }`);
    expect(r.stdout).toBe('null null true 3\n');
  });

  test('waitpid with nohang and no children rejects with ECHILD', async () => {
    const r = await run(`
      export default async function main(sys) {
        try { await sys.waitpid(-1, { nohang: true }); } catch (e) { await sys.print(e.code, e.syscall); }
      }`);
    expect(r.stdout).toBe('ECHILD waitpid\n');
  });

  test('waitpid for a pid that is not a child (a grandchild, the parent, an unknown pid) rejects with ECHILD', async () => {
    const r = await run(`
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) {
          if (await sys.fork() === 0) { await sys.sleep(10); return; }
          try { await sys.waitpid(sys.getppid()); } catch (e) { await sys.print('parent:', e.code); }
          await sys.wait();
          return;
        }
        try { await sys.waitpid(pid + 1); } catch (e) { await sys.print('grandchild:', e.code); }
        try { await sys.waitpid(99); } catch (e) { await sys.print('unknown:', e.code); }
        await sys.wait();
      }`);
    expect(r.stdout.split('\n').sort().join('\n')).toBe('\ngrandchild: ECHILD\nparent: ECHILD\nunknown: ECHILD');
  });

  test('waitpid for a child already reaped rejects with ECHILD', async () => {
    const r = await run(`
      export default async function main(sys) {
        const pid = await sys.fork();
        if (pid === 0) return;
        await sys.waitpid(pid);
        try { await sys.waitpid(pid); } catch (e) { await sys.print(e.code); }
      }`);
    expect(r.stdout).toBe('ECHILD\n');
  });

  test('a child cannot wait for its parent or siblings: wait in a childless child is ECHILD', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) { await sys.sleep(5); return; }
        if (await sys.fork() === 0) {
          try { await sys.wait(); } catch (e) { await sys.print(e.code); }
          return;
        }
        await sys.wait(); await sys.wait();
      }`);
    expect(r.stdout).toBe('ECHILD\n');
  });

  test('an exception escaping main ends the process with status 1 and "Uncaught <message>" on its stderr', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.print('before');
        throw new Error('boom');
      }`);
    expect(r.stdout).toBe('before\n');
    expect(r.stderr).toBe('Uncaught boom\n');
    expect(r.processes[0]).toMatchObject({ status: 1, signal: null, stderr: 'Uncaught boom\n' });
  });

  test('a thrown non-Error value is reported as "Uncaught <value>"', async () => {
    const r = await run(`export default async function main(sys) { await sys.yield(); throw 'plain string'; }`);
    expect(r.stderr).toBe('Uncaught plain string\n');
    expect(r.processes[0].status).toBe(1);
  });

  test("an uncaught exception in a child goes to that child's stderr, and its parent sees status 1", async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) throw new Error('child failed');
        const st = await sys.wait();
        await sys.print('status', st.status);
      }`);
    expect(r.stdout).toBe('status 1\n');
    expect(proc(r, 3).stderr).toBe('Uncaught child failed\n');
    expect(proc(r, 2).stderr).toBe('');
  });

  test('an uncaught SysError (an unhandled failed call) also ends the process with status 1', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.close(42);
      }`);
    expect(r.processes[0].status).toBe(1);
    expect(r.stderr).toMatch(/^Uncaught close: .*\(EBADF\)\n$/);
  });

  test('an exception thrown in a thread ends the whole process with status 1', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.thread(async () => { throw new Error('in thread'); });
        await sys.sleep(100);
        await sys.print('never');
      }`);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Uncaught in thread\n');
    expect(r.processes[0].status).toBe(1);
  });

  test('the uncaught message goes to fd 2 even when fd 2 was redirected into a pipe', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        const pid = await sys.fork();
        if (pid === 0) {
          await sys.dup2(wr, 2);
          await sys.close(rd); await sys.close(wr);
          throw new Error('to the pipe');
        }
        await sys.close(wr);
        let got = '';
        for (let s; (s = await sys.read(rd, 100)) !== '';) got += s;
        await sys.wait();
        await sys.print(JSON.stringify(got));
      }`);
    expect(r.stdout).toBe('"Uncaught to the pipe\\n"\n');
    expect(proc(r, 3).stderr).toBe('');
  });

  test("a child's exit sends SIGCHLD to its parent", async () => {
    const r = await run(`
      export default async function main(sys) {
        let got = null;
        await sys.signal('SIGCHLD', async (sig) => { got = sig; });
        if (await sys.fork() === 0) return;
        await sys.sleep(10);
        await sys.print('got', got);
        await sys.wait();
      }`);
    expect(r.stdout).toBe('got SIGCHLD\n');
  });
});

describe('what the run reports about processes', () => {
  test('a child that exited and was never waited for is reported as a zombie', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) return;
        await sys.sleep(10);
      }`);
    expect(r.status).toBe('ok');
    expect(r.zombies).toEqual([3]);
  });

  test('a child that was waited for is not a zombie', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) return;
        await sys.sleep(10);
        await sys.wait();
      }`);
    expect(r.zombies).toEqual([]);
  });

  test('an orphan that exits after its parent is not a zombie', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) { await sys.sleep(10); return; }
      }`);
    expect(r.status).toBe('ok');
    expect(r.zombies).toEqual([]);
  });

  test('only the children never waited for are zombies, each reported once', async () => {
    const r = await run(`
      export default async function main(sys) {
        const a = await sys.fork(); if (a === 0) return;
        const b = await sys.fork(); if (b === 0) return;
        const c = await sys.fork(); if (c === 0) { await sys.sleep(50); return; }
        await sys.sleep(10);
        await sys.waitpid(b);
      }`);
    expect(r.status).toBe('ok');
    expect(r.zombies).toEqual([3]);
  });

  test("a grandchild left unwaited by a child is that child's zombie", async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) {
          if (await sys.fork() === 0) return;
          await sys.sleep(5);
          return;
        }
        await sys.wait();
      }`);
    expect(r.zombies).toEqual([4]);
  });

  test('ignoring SIGCHLD reaps children automatically, so they are no zombies', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.signal('SIGCHLD', 'ignore');
        if (await sys.fork() === 0) return;
        await sys.sleep(10);
        try { await sys.wait(); } catch (e) { await sys.print(e.code); }
      }`);
    expect(r.stdout).toBe('ECHILD\n');
    expect(r.zombies).toEqual([]);
  });

  test('the report lists every process ever created, with its original parent', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) {
          if (await sys.fork() === 0) { await sys.sleep(10); return 2; }
          return 1;
        }
        await sys.wait();
      }`);
    expect(r.processes.map((p) => [p.pid, p.ppid, p.status])).toEqual([[2, 1, 0], [3, 2, 1], [4, 3, 2]]);
  });

  test('a program without the export the exercise names fails with status 1 and says why on stderr', async () => {
    const r = await runKernel({ programs: [{ module: moduleFrom('export async function producer() {}'), entry: 'consumer' }] });
    expect(r.status).toBe('ok');
    expect(r.processes[0].status).toBe(1);
    expect(r.stderr).toMatch(/^Uncaught .*consumer.*\n$/);
  });

  test('several programs of a run are started as pids 2, 3, ... children of init', async () => {
    const r = await runKernel({
      programs: [
        { module: moduleFrom('export default async function main(sys) { await sys.print("a", sys.getpid(), sys.getppid()); }') },
        { module: moduleFrom('export async function other(sys, argv) { await sys.print("b", sys.getpid(), argv[0]); }'), entry: 'other', argv: ['x'] },
      ],
    });
    expect(r.status).toBe('ok');
    expect(r.stdout.split('\n').sort()).toEqual(['', 'a 2 1', 'b 3 x']);
  });
});

describe('the one-pending-call rule and enabled groups', () => {
  test('sys calls other than getpid, getppid, gettid and now return promises', async () => {
    const r = await run(`
      export default async function main(sys) {
        const y = sys.yield();
        const isPromise = y instanceof Promise;
        await y;
        const p = sys.print('x');
        const printPromise = typeof p.then === 'function';
        await p;
        await sys.print(isPromise, printPromise);
      }`);
    expect(r.stdout).toBe('x\ntrue true\n');
  });

  test('starting a second sys call before the first settles rejects with EINVAL saying so', async () => {
    const r = await run(`
      export default async function main(sys) {
        const first = sys.sleep(10);
        try { await sys.print('second'); } catch (e) { await first; await sys.print(e.code, e.syscall, /await/.test(e.message)); }
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('EINVAL print true\n');
  });

  test('the first call still completes normally after a second one was rejected', async () => {
    const r = await run(`
      export default async function main(sys) {
        const [rd, wr] = await sys.pipe();
        const w = sys.write(wr, 'hi');
        const bad = sys.read(rd, 2).catch((e) => e.code);
        await sys.print(await w, await bad);
      }`);
    expect(r.stdout).toBe('2 EINVAL\n');
  });

  test('a call of a group the exercise has not enabled rejects with ENOSYS naming the call', async () => {
    const r = await run(`
      export default async function main(sys) {
        try { await sys.pipe(); } catch (e) { await sys.print(e.code, e.syscall, /pipe/.test(e.message)); }
        try { await sys.open('x', 'w'); } catch (e) { await sys.print(e.code, e.syscall); }
        const pid = await sys.fork();
        if (pid === 0) return;
        await sys.wait();
        await sys.print('proc works', sys.getpid());
      }`, { enable: ['proc'] });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('ENOSYS pipe true\nENOSYS open\nproc works 2\n');
  });

  test('getpid, getppid, gettid, now, yield and print work with no group enabled', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.yield();
        await sys.print(sys.getpid(), sys.getppid(), sys.gettid(), sys.now());
        try { await sys.fork(); } catch (e) { await sys.print(e.code); }
      }`, { enable: [] });
    expect(r.stdout).toBe('2 1 2 0\nENOSYS\n');
  });
});

describe('print and output', () => {
  test('print joins its arguments with spaces and adds a newline', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.print('a', 1, true, null, undefined);
        await sys.print();
        await sys.print('x');
      }`);
    expect(r.stdout).toBe('a 1 true null undefined\n\nx\n');
  });

  test('print shows objects and arrays as JSON', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.print({ a: 1, b: [2, 'c'] }, [1, 2]);
      }`);
    expect(r.stdout).toBe('{"a":1,"b":[2,"c"]} [1,2]\n');
  });

  test('print writes to fd 1, so it follows a dup2 of fd 1', async () => {
    const r = await run(`
      export default async function main(sys) {
        const fd = await sys.open('/tmp/out', 'w');
        await sys.dup2(fd, 1);
        await sys.print('into the file');
        const again = await sys.open('/tmp/out', 'r');
        await sys.write(2, await sys.read(again, 100));
      }`);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('into the file\n');
  });

  test('stdout and stderr are kept per process and combined for the run', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.print('p1');
        if (await sys.fork() === 0) { await sys.print('c'); await sys.write(2, 'ce\\n'); return; }
        await sys.wait();
        await sys.print('p2');
      }`);
    expect(r.stdout).toBe('p1\nc\np2\n');
    expect(r.stderr).toBe('ce\n');
    expect(proc(r, 2).stdout).toBe('p1\np2\n');
    expect(proc(r, 3)).toMatchObject({ stdout: 'c\n', stderr: 'ce\n' });
  });

  test('output past the limit is dropped and "...[output truncated]" is appended once', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.write(1, '0123456789abc');
        await sys.write(1, 'more');
        await sys.print('and more');
      }`, { outputLimit: 10 });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('0123456789...[output truncated]\n');
    expect(r.processes[0].stdout).toBe('0123456789...[output truncated]\n');
  });

  test('the output limit applies to each process and each stream separately', async () => {
    const r = await run(`
      export default async function main(sys) {
        await sys.write(1, 'aaaaaa');
        await sys.write(2, 'eeeeee');
        if (await sys.fork() === 0) { await sys.write(1, 'bbbbbb'); return; }
        await sys.wait();
        await sys.write(1, 'AAAA');
      }`, { outputLimit: 8 });
    expect(r.processes[0].stdout).toBe('aaaaaaAA...[output truncated]\n');
    expect(r.processes[0].stderr).toBe('eeeeee');
    expect(r.processes[1].stdout).toBe('bbbbbb');
    expect(r.stdout).toBe('aaaaaabbbbbbAA...[output truncated]\n');
  });

  test('the write that overflows the limit still reports every character as written', async () => {
    const r = await run(`
      export default async function main(sys) {
        const n = await sys.write(1, 'x'.repeat(20));
        await sys.write(2, String(n));
      }`, { outputLimit: 5 });
    expect(r.stderr).toBe('20');
  });
});
