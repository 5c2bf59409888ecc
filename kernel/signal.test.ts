import { moduleFrom, run, runKernel } from '../test/support/kernel';
import type { RunResult, SignalName } from './types';

/** A program whose default export runs `body` with `sys` in scope. */
function program(body: string, prelude = ''): string {
  return `${prelude}\nexport default async function main(sys: any) {\n${body}\n}`;
}

function processOf(result: RunResult, pid: number) {
  return result.processes.find((proc) => proc.pid === pid)!;
}

/** The child pauses; the parent sends it `sig` and prints what wait says. */
async function sendToPausedChild(sig: SignalName): Promise<RunResult> {
  return run(program(`
    const pid = await sys.fork();
    if (pid === 0) { await sys.pause(); return 0; }
    await sys.yield();
    await sys.kill(pid, '${sig}');
    const w = await sys.waitpid(pid, { nohang: true });
    await sys.print(JSON.stringify(w));
    if (w === null) { await sys.kill(pid, 'SIGKILL'); await sys.wait(); }
  `));
}

describe('default actions', () => {
  const terminating: SignalName[] = [
    'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGABRT', 'SIGKILL', 'SIGSEGV', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGUSR1', 'SIGUSR2',
  ];

  test.each(terminating)('%s with the default disposition ends the process, status null and the signal named', async (sig) => {
    const result = await sendToPausedChild(sig);
    expect(result.status).toBe('ok');
    expect(JSON.parse(result.stdout)).toEqual({ pid: 3, status: null, signal: sig });
    expect(processOf(result, 3)).toMatchObject({ status: null, signal: sig });
  });

  test.each(['SIGCHLD', 'SIGCONT'] as SignalName[])('%s with the default disposition leaves a running process alone', async (sig) => {
    const result = await sendToPausedChild(sig);
    expect(result.stdout).toBe('null\n');
    expect(processOf(result, 3)).toMatchObject({ status: null, signal: 'SIGKILL' });
  });

  test.each(['SIGSTOP', 'SIGTSTP'] as SignalName[])('%s with the default disposition stops the process without ending it', async (sig) => {
    const result = await sendToPausedChild(sig);
    expect(result.stdout).toBe('null\n');
    expect(processOf(result, 3)).toMatchObject({ status: null, signal: 'SIGKILL' });
  });

  test('a child\'s exit sends SIGCHLD to its parent, which ignores it by default', async () => {
    const result = await run(program(`
      await sys.signal('SIGCHLD', async (sig) => { await sys.print('got ' + sig); });
      const pid = await sys.fork();
      if (pid === 0) return 4;
      const w = await sys.wait();
      await sys.print('reaped', w.pid, w.status);
      await sys.signal('SIGCHLD', 'default');
      if (await sys.fork() === 0) return 0;
      await sys.wait();
      await sys.print('still alive');
    `));
    expect(result.stdout).toBe('got SIGCHLD\nreaped 3 4\nstill alive\n');
    expect(processOf(result, 2)).toMatchObject({ status: 0, signal: null });
  });

  test('a parent that ignores SIGCHLD has its children reaped for it: no zombies, and wait finds none', async () => {
    const result = await run(program(`
      await sys.signal('SIGCHLD', 'ignore');
      if (await sys.fork() === 0) return 0;
      await sys.sleep(10);
      try { await sys.wait(); } catch (e) { await sys.print(e.code); }
    `));
    expect(result.stdout).toBe('ECHILD\n');
    expect(result.zombies).toEqual([]);
  });

  test('kill of itself with a terminating signal ends the caller', async () => {
    const result = await run(program(`
      await sys.print('before');
      await sys.kill(sys.getpid(), 'SIGTERM');
      await sys.print('after');
    `));
    expect(result.stdout).toBe('before\n');
    expect(processOf(result, 2)).toMatchObject({ status: null, signal: 'SIGTERM' });
  });
});

describe('signal()', () => {
  test('SIGKILL and SIGSTOP cannot be caught or ignored', async () => {
    const result = await run(program(`
      for (const sig of ['SIGKILL', 'SIGSTOP']) {
        for (const how of [async () => {}, 'ignore']) {
          try { await sys.signal(sig, how); await sys.print('installed'); }
          catch (e) { await sys.print(e.code, e.syscall); }
        }
      }
    `));
    expect(result.stdout).toBe('EINVAL signal\n'.repeat(4));
  });

  test('signal rejects an unknown signal name and a disposition that is not a function, default or ignore', async () => {
    const result = await run(program(`
      for (const [sig, how] of [['SIGFOO', 'ignore'], ['SIGUSR1', 'catch']]) {
        try { await sys.signal(sig, how); } catch (e) { await sys.print(e.code); }
      }
    `));
    expect(result.stdout).toBe('EINVAL\nEINVAL\n');
  });

  test('signal returns the previous disposition', async () => {
    const result = await run(program(`
      const handler = async () => {};
      const first = await sys.signal('SIGUSR1', handler);
      const second = await sys.signal('SIGUSR1', 'ignore');
      const third = await sys.signal('SIGUSR1', 'default');
      const fourth = await sys.signal('SIGUSR1', handler);
      const fifth = await sys.signal('SIGUSR1', 'default');
      await sys.print(first, second === handler, third, fourth, fifth === handler);
    `));
    expect(result.stdout).toBe('default true ignore default true\n');
  });

  test('an ignored signal has no effect', async () => {
    const result = await run(program(`
      await sys.signal('SIGTERM', 'ignore');
      await sys.kill(sys.getpid(), 'SIGTERM');
      await sys.print('survived');
    `));
    expect(result.stdout).toBe('survived\n');
    expect(processOf(result, 2).status).toBe(0);
  });
});

describe('handlers', () => {
  test('a handler runs in the main thread at its next scheduling point, before the call made there proceeds', async () => {
    const result = await run(program(`
      await sys.signal('SIGUSR1', async (sig) => { log.push('handler ' + sig + ' in ' + sys.gettid()); });
      await sys.kill(sys.getpid(), 'SIGUSR1');
      log.push('kill returned');
      await sys.yield();
      log.push('yield returned');
      await sys.print(log.join(', '));
    `, 'const log: string[] = [];'));
    expect(result.stdout).toBe('kill returned, handler SIGUSR1 in 2, yield returned\n');
  });

  test('a handler may make sys calls, and the interrupted program goes on after it', async () => {
    const result = await run(program(`
      await sys.signal('SIGUSR2', async () => {
        await sys.print('handler starts');
        await sys.yield();
        await sys.print('handler ends');
      }, { restart: true });
      const pid = await sys.fork();
      if (pid === 0) { await sys.kill(sys.getppid(), 'SIGUSR2'); return 0; }
      await sys.wait();
      await sys.print('main goes on');
    `));
    expect(result.stdout).toBe('handler starts\nhandler ends\nmain goes on\n');
  });

  test('a handler runs in the target\'s main thread even when another thread is the one running', async () => {
    const result = await run(program(`
      await sys.signal('SIGUSR1', async () => { await sys.print('handler in', sys.gettid()); });
      const t = await sys.thread(async () => {
        await sys.kill(sys.getpid(), 'SIGUSR1');
        await sys.yield();
        await sys.yield();
      });
      await sys.yield();
      await sys.join(t);
    `));
    expect(result.stdout).toBe('handler in 2\n');
  });

  test('a handler may be a plain function as well as an async one', async () => {
    const result = await run(program(`
      await sys.signal('SIGUSR1', (sig) => { seen = sig; });
      await sys.kill(sys.getpid(), 'SIGUSR1');
      await sys.yield();
      await sys.print(seen);
    `, "let seen = 'nothing';"));
    expect(result.stdout).toBe('SIGUSR1\n');
  });

  test('a handler that throws ends the process with Uncaught on stderr', async () => {
    const result = await run(program(`
      await sys.signal('SIGINT', async () => { throw new Error('handler failed'); });
      await sys.kill(sys.getpid(), 'SIGINT');
      await sys.yield();
      await sys.print('not reached');
    `));
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('Uncaught handler failed\n');
    expect(processOf(result, 2)).toMatchObject({ status: 1, signal: null });
  });
});

describe('interrupted calls', () => {
  /**
   * The parent installs a SIGUSR1 handler (with `restart` as given), forks a
   * child that runs `child`, and then runs `blocked`, printing its outcome.
   */
  function interrupt(blocked: string, child: string, restart: boolean, setup = ''): Promise<RunResult> {
    return run(program(`
      ${setup}
      await sys.signal('SIGUSR1', async () => { await sys.print('handler at', sys.now()); }, { restart: ${restart} });
      const pid = await sys.fork();
      if (pid === 0) { ${child}; return 0; }
      try {
        const value = await (async () => { ${blocked} })();
        await sys.print('returned', JSON.stringify(value ?? null), 'at', sys.now());
      } catch (e) {
        await sys.print('rejected', e.code, e.syscall, 'at', sys.now());
      }
    `));
  }

  const signalParent = `await sys.sleep(10); await sys.kill(sys.getppid(), 'SIGUSR1')`;

  test('a signal wakes a sleep, runs the handler, and sleep rejects with EINTR', async () => {
    const result = await interrupt('return sys.sleep(100)', signalParent, false);
    expect(result.stdout).toBe('handler at 10\nrejected EINTR sleep at 10\n');
  });

  test('a sleep interrupted by a handler installed with restart goes on sleeping until its time', async () => {
    const result = await interrupt('return sys.sleep(100)', signalParent, true);
    expect(result.stdout).toBe('handler at 10\nreturned null at 100\n');
  });

  test('a signal wakes a read on an empty pipe and read rejects with EINTR', async () => {
    const result = await interrupt('return sys.read(fds[0], 10)', `${signalParent}; await sys.write(fds[1], 'late')`, false,
      'const fds = await sys.pipe();');
    expect(result.stdout).toBe('handler at 10\nrejected EINTR read at 10\n');
  });

  test('a read interrupted by a handler installed with restart waits on and returns the data', async () => {
    const result = await interrupt('return sys.read(fds[0], 10)', `${signalParent}; await sys.sleep(5); await sys.write(fds[1], 'late')`, true,
      'const fds = await sys.pipe();');
    expect(result.stdout).toBe('handler at 10\nreturned "late" at 15\n');
  });

  test('a signal wakes wait and wait rejects with EINTR', async () => {
    const result = await interrupt('return sys.wait()', `${signalParent}; await sys.sleep(5)`, false);
    expect(result.stdout).toBe('handler at 10\nrejected EINTR wait at 10\n');
  });

  test('a wait interrupted by a handler installed with restart returns the child when it exits', async () => {
    const result = await interrupt('return sys.wait()', `${signalParent}; await sys.sleep(5)`, true);
    expect(result.stdout).toBe('handler at 10\nreturned {"pid":3,"status":0,"signal":null} at 15\n');
  });

  test('a signal wakes sem_wait and sem_wait rejects with EINTR', async () => {
    const result = await interrupt('return sys.sem_wait(s)', signalParent, false, 'const s = await sys.sem_init(0);');
    expect(result.stdout).toBe('handler at 10\nrejected EINTR sem_wait at 10\n');
  });

  test('a sem_wait interrupted by a handler installed with restart takes the unit posted later', async () => {
    const result = await interrupt('return sys.sem_wait(s)', `${signalParent}; await sys.sleep(5); await sys.sem_post(s)`, true,
      'const s = await sys.sem_init(0);');
    expect(result.stdout).toBe('handler at 10\nreturned null at 15\n');
  });

  test('pause returns only by rejecting with EINTR after a handler ran', async () => {
    const result = await interrupt('return sys.pause()', signalParent, false);
    expect(result.stdout).toBe('handler at 10\nrejected EINTR pause at 10\n');
  });

  test('pause rejects with EINTR even when the handler was installed with restart', async () => {
    const result = await interrupt('return sys.pause()', signalParent, true);
    expect(result.stdout).toBe('handler at 10\nrejected EINTR pause at 10\n');
  });

  test('an ignored signal does not wake a blocked call', async () => {
    const result = await run(program(`
      await sys.signal('SIGUSR1', 'ignore');
      const pid = await sys.fork();
      if (pid === 0) { await sys.sleep(10); await sys.kill(sys.getppid(), 'SIGUSR1'); return 0; }
      await sys.sleep(100);
      await sys.print('slept until', sys.now());
    `));
    expect(result.stdout).toBe('slept until 100\n');
  });

  test('a SIGCHLD handler ends a pause when a child exits', async () => {
    const result = await run(program(`
      await sys.signal('SIGCHLD', async () => { await sys.print('child', (await sys.wait()).pid, 'reaped'); });
      if (await sys.fork() === 0) { await sys.sleep(10); return 0; }
      try { await sys.pause(); } catch (e) { await sys.print('pause', e.code, 'at', sys.now()); }
    `));
    expect(result.stdout).toBe('child 3 reaped\npause EINTR at 10\n');
    expect(result.zombies).toEqual([]);
  });

  test('a signal handled just before pause is called does not end that pause (the classic lost wake-up)', async () => {
    const result = await run(program(`
      await sys.signal('SIGUSR1', async () => { await sys.print('handled'); });
      await sys.kill(sys.getpid(), 'SIGUSR1');
      await sys.pause();
    `));
    expect(result.stdout).toBe('handled\n');
    expect(result.status).toBe('deadlock');
    expect(result.deadlock!.blocked).toEqual([expect.objectContaining({ pid: 2, call: 'pause' })]);
  });

  test('pause with no signal coming is a deadlock that names pause', async () => {
    const result = await run(program('await sys.pause();'));
    expect(result.status).toBe('deadlock');
    expect(result.deadlock!.blocked).toEqual([expect.objectContaining({ pid: 2, tid: 2, call: 'pause' })]);
  });
});

describe('signals do not queue', () => {
  /** Two children exit back to back while the parent's SIGCHLD is still pending. */
  function reapWith(handler: string): Promise<RunResult> {
    return run(program(`
      await sys.signal('SIGCHLD', async () => { ${handler} }, { restart: true });
      // Both children wake at 10 ms and exit one right after the other.
      if (await sys.fork() === 0) { await sys.sleep(10); return 0; }
      if (await sys.fork() === 0) { await sys.sleep(10); return 0; }
      await sys.sleep(100);
      await sys.print('reaped', reaped);
    `, 'let reaped = 0;'), { trace: true });
  }

  test('two SIGCHLDs arriving before the first is handled merge: one wait per signal leaves a zombie', async () => {
    const result = await reapWith('await sys.wait(); reaped++;');
    expect(result.trace!.filter((entry) => entry.call === 'signal-handler')).toHaveLength(1);
    expect(result.stdout).toBe('reaped 1\n');
    expect(result.zombies).toHaveLength(1);
  });

  test('a SIGCHLD handler that loops on waitpid nohang reaps every exited child', async () => {
    const result = await reapWith(`
      for (;;) {
        let w;
        try { w = await sys.waitpid(-1, { nohang: true }); } catch (e) { break; }
        if (w === null) break;
        reaped++;
      }`);
    expect(result.stdout).toBe('reaped 2\n');
    expect(result.zombies).toEqual([]);
  });

  test('a signal arriving while its own handler runs is delivered again after the handler returns', async () => {
    const result = await run(program(`
      await sys.signal('SIGUSR1', async () => {
        calls++;
        if (calls === 1) { await sys.kill(sys.getpid(), 'SIGUSR1'); await sys.yield(); }
        await sys.print('handler', calls, 'done');
      });
      await sys.kill(sys.getpid(), 'SIGUSR1');
      await sys.yield();
      await sys.yield();
      await sys.print('main');
    `, 'let calls = 0;'));
    expect(result.stdout).toBe('handler 1 done\nhandler 2 done\nmain\n');
  });
});

describe('kill', () => {
  test('kill of a pid that does not exist rejects with ESRCH', async () => {
    const result = await run(program(`
      try { await sys.kill(99, 'SIGTERM'); } catch (e) { await sys.print(e.code, e.syscall); }
    `));
    expect(result.stdout).toBe('ESRCH kill\n');
  });

  test('kill of a child already reaped rejects with ESRCH', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) return 0;
      await sys.wait();
      try { await sys.kill(pid, 'SIGTERM'); } catch (e) { await sys.print(e.code); }
    `));
    expect(result.stdout).toBe('ESRCH\n');
  });

  test('kill with an unknown signal name or a pid below 1 rejects with EINVAL', async () => {
    const result = await run(program(`
      for (const [pid, sig] of [[2, 'SIGNOPE'], [2, 9], [0, 'SIGTERM'], [-1, 'SIGTERM']]) {
        try { await sys.kill(pid, sig); await sys.print('sent'); } catch (e) { await sys.print(e.code); }
      }
    `));
    expect(result.stdout).toBe('EINVAL\n'.repeat(4));
  });

  test('kill of init (pid 1) rejects with EPERM', async () => {
    const result = await run(program(`
      try { await sys.kill(1, 'SIGKILL'); } catch (e) { await sys.print(e.code); }
    `));
    expect(result.stdout).toBe('EPERM\n');
  });

  test('kill with signal 0 only checks that the process exists', async () => {
    const result = await run(program(`
      await sys.kill(sys.getpid(), 0);
      try { await sys.kill(42, 0); } catch (e) { await sys.print(e.code); }
      await sys.print('alive');
    `));
    expect(result.stdout).toBe('ESRCH\nalive\n');
  });
});

describe('stop and continue', () => {
  test('a stopped process runs nothing until SIGCONT', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) { for (;;) { await sys.print('tick', sys.now()); await sys.sleep(10); } }
      await sys.sleep(25);
      await sys.kill(pid, 'SIGSTOP');
      await sys.sleep(100);
      await sys.kill(pid, 'SIGCONT');
      await sys.sleep(25);
      await sys.kill(pid, 'SIGKILL');
      await sys.wait();
    `));
    expect(result.stdout).toBe('tick 0\ntick 10\ntick 20\ntick 125\ntick 135\ntick 145\n');
  });

  test('a stopped process does not keep simulated time from advancing', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) { for (;;) await sys.yield(); }
      await sys.kill(pid, 'SIGTSTP');
      await sys.sleep(1000);
      await sys.print('woke at', sys.now());
      await sys.kill(pid, 'SIGKILL');
      await sys.wait();
    `), { maxSteps: 500 });
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('woke at 1000\n');
  });

  test('a stopped process counts as not runnable for deadlock detection, and the report says it is stopped', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) { for (;;) await sys.yield(); }
      await sys.kill(pid, 'SIGSTOP');
      await sys.wait();
    `));
    expect(result.status).toBe('deadlock');
    expect(result.deadlock!.blocked).toEqual([
      expect.objectContaining({ pid: 2, call: 'wait' }),
      expect.objectContaining({ pid: 3, detail: expect.stringContaining('stopped') }),
    ]);
  });

  test('a stopped process keeps signals pending and acts on them after SIGCONT', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) {
        await sys.signal('SIGUSR1', async () => { await sys.print('child handles SIGUSR1 at', sys.now()); });
        for (;;) await sys.sleep(10);
      }
      await sys.sleep(5);
      await sys.kill(pid, 'SIGSTOP');
      await sys.kill(pid, 'SIGUSR1');
      await sys.kill(pid, 'SIGTERM');
      await sys.sleep(50);
      await sys.print('still there:', JSON.stringify(await sys.waitpid(pid, { nohang: true })));
      await sys.kill(pid, 'SIGCONT');
      const w = await sys.wait();
      await sys.print('ended by', w.signal, 'at', sys.now());
    `));
    expect(result.stdout).toBe('still there: null\nended by SIGTERM at 55\n');
  });

  test('a handled signal sent while stopped runs its handler after SIGCONT', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) {
        await sys.signal('SIGUSR1', async () => { await sys.print('child handles SIGUSR1 at', sys.now()); });
        for (;;) await sys.sleep(10);
      }
      await sys.sleep(5);
      await sys.kill(pid, 'SIGSTOP');
      await sys.kill(pid, 'SIGUSR1');
      await sys.sleep(50);
      await sys.print('parent continues it at', sys.now());
      await sys.kill(pid, 'SIGCONT');
      await sys.sleep(1);
      await sys.kill(pid, 'SIGKILL');
      await sys.wait();
    `));
    expect(result.stdout).toBe('parent continues it at 55\nchild handles SIGUSR1 at 55\n');
  });

  test('SIGKILL ends a stopped process at once', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) { for (;;) await sys.yield(); }
      await sys.kill(pid, 'SIGSTOP');
      await sys.kill(pid, 'SIGKILL');
      await sys.print(JSON.stringify(await sys.waitpid(pid, { nohang: true })));
    `));
    expect(result.stdout).toBe('{"pid":3,"status":null,"signal":"SIGKILL"}\n');
  });

  test('SIGCONT resumes a process even when more stop signals arrived while it was stopped', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) { await sys.yield(); await sys.print('child runs at', sys.now()); return 0; }
      await sys.kill(pid, 'SIGSTOP');
      await sys.kill(pid, 'SIGTSTP');
      await sys.kill(pid, 'SIGSTOP');
      await sys.sleep(20);
      await sys.kill(pid, 'SIGCONT');
      await sys.wait();
    `));
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('child runs at 20\n');
  });

  test('SIGCONT continues a stopped process even when the process ignores SIGCONT', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) { await sys.signal('SIGCONT', 'ignore'); await sys.sleep(10); await sys.yield(); await sys.print('child at', sys.now()); return 0; }
      await sys.sleep(5);
      await sys.kill(pid, 'SIGSTOP');
      await sys.sleep(50);
      await sys.kill(pid, 'SIGCONT');
      await sys.wait();
    `));
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('child at 55\n');
  });

  test('a SIGCONT handler runs when the stopped process continues', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) {
        await sys.signal('SIGCONT', async () => { await sys.print('continued'); });
        await sys.sleep(100);
        return 0;
      }
      await sys.sleep(10);
      await sys.kill(pid, 'SIGSTOP');
      await sys.kill(pid, 'SIGCONT');
      await sys.wait();
    `));
    expect(result.stdout).toBe('continued\n');
  });
});

describe('alarm', () => {
  test('alarm delivers SIGALRM after the given simulated milliseconds', async () => {
    const result = await run(program(`
      await sys.signal('SIGALRM', async (sig) => { await sys.print(sig, 'at', sys.now()); });
      await sys.alarm(300);
      try { await sys.pause(); } catch (e) { await sys.print(e.code); }
    `));
    expect(result.stdout).toBe('SIGALRM at 300\nEINTR\n');
    expect(result.simTimeMs).toBe(300);
  });

  test('an unhandled SIGALRM ends the process', async () => {
    const result = await run(program('await sys.alarm(50); await sys.sleep(1000); await sys.print("not reached");'));
    expect(result.stdout).toBe('');
    expect(processOf(result, 2)).toMatchObject({ status: null, signal: 'SIGALRM' });
    expect(result.simTimeMs).toBe(50);
  });

  test('alarm returns the milliseconds left of the previous alarm, and 0 when none was set', async () => {
    const result = await run(program(`
      const first = await sys.alarm(500);
      await sys.sleep(200);
      const second = await sys.alarm(1000);
      const third = await sys.alarm(0);
      await sys.print(first, second, third);
    `));
    expect(result.stdout).toBe('0 300 1000\n');
  });

  test('alarm(0) cancels the pending alarm', async () => {
    const result = await run(program(`
      await sys.alarm(100);
      await sys.alarm(0);
      await sys.sleep(500);
      await sys.print('no alarm at', sys.now());
    `));
    expect(result.stdout).toBe('no alarm at 500\n');
    expect(processOf(result, 2)).toMatchObject({ status: 0, signal: null });
  });

  test('a forked child does not inherit its parent\'s alarm', async () => {
    const result = await run(program(`
      await sys.alarm(100);
      const pid = await sys.fork();
      if (pid === 0) { await sys.sleep(300); await sys.print('child outlived the alarm'); return 0; }
      await sys.alarm(0);
      await sys.wait();
    `));
    expect(result.stdout).toBe('child outlived the alarm\n');
    expect(result.processes.map((proc) => proc.signal)).toEqual([null, null]);
  });

  test('a new alarm replaces the previous one', async () => {
    const result = await run(program(`
      await sys.signal('SIGALRM', async () => { await sys.print('alarm at', sys.now()); });
      await sys.alarm(100);
      await sys.alarm(250);
      try { await sys.sleep(400); } catch (e) { await sys.print(e.code); }
      await sys.print('done');
    `));
    expect(result.stdout).toBe('alarm at 250\nEINTR\ndone\n');
  });
});

describe('exec and fork', () => {
  test('exec resets handlers to the default action', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) {
        await sys.signal('SIGTERM', async () => { await sys.print('caught'); });
        await sys.exec('sleep', ['10']);
      }
      await sys.sleep(100);
      await sys.kill(pid, 'SIGTERM');
      const w = await sys.wait();
      await sys.print(w.status, w.signal);
    `));
    expect(result.stdout).toBe('null SIGTERM\n');
  });

  test('exec keeps ignored signals ignored', async () => {
    const result = await run(program(`
      const pid = await sys.fork();
      if (pid === 0) {
        await sys.signal('SIGTERM', 'ignore');
        await sys.exec('/bin/sleep', ['1']);
      }
      await sys.sleep(100);
      await sys.kill(pid, 'SIGTERM');
      const w = await sys.wait();
      await sys.print(w.status, w.signal, sys.now());
    `));
    expect(result.stdout).toBe('0 null 1000\n');
  });

  test('a forked child keeps its parent\'s dispositions, and a handler runs with the child\'s own variables', async () => {
    const result = await run(program(`
      await sys.signal('SIGUSR1', async () => { await sys.print(sys.getpid(), 'sees', who); });
      await sys.signal('SIGINT', 'ignore');
      const pid = await sys.fork();
      if (pid === 0) {
        who = 'child';
        await sys.kill(sys.getpid(), 'SIGINT');
        await sys.kill(sys.getpid(), 'SIGUSR1');
        await sys.yield();
        return 0;
      }
      who = 'parent';
      await sys.wait();
      await sys.kill(sys.getpid(), 'SIGUSR1');
      await sys.yield();
    `, "let who = 'nobody';"));
    expect(result.stdout).toBe('3 sees child\n2 sees parent\n');
    expect(processOf(result, 3)).toMatchObject({ status: 0, signal: null });
  });

  test('signals sent across programs started on one host reach their target', async () => {
    const receiver = moduleFrom(program(`
      await sys.signal('SIGUSR1', async () => { await sys.print('receiver got it'); });
      try { await sys.pause(); } catch (e) { await sys.print(e.code); }
    `));
    const sender = moduleFrom(program(`await sys.sleep(5); await sys.kill(2, 'SIGUSR1');`));
    const result = await runKernel({ programs: [{ module: receiver }, { module: sender }] });
    expect(result.stdout).toBe('receiver got it\nEINTR\n');
  });
});
