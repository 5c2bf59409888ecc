import { existsSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import type { RunResult } from '../kernel';
import type { KernelSettings, SandboxJob, SandboxLimits } from '../common/job';
import { runJob } from './sandbox';
import { SANDBOX_V8_FLAGS, SandboxClient } from './sandbox-client';

interface RunOptions {
  settings?: KernelSettings;
  limits?: Partial<SandboxLimits>;
  fileName?: string;
}

function jobFor(source: string, options: RunOptions = {}): SandboxJob {
  return {
    programs: [{ source, fileName: options.fileName ?? 'main.ts' }],
    settings: options.settings ?? {},
    limits: options.limits,
  };
}

function run(source: string, options: RunOptions = {}): Promise<RunResult> {
  return runJob(jobFor(source, options));
}

const HELLO = `export default async function main(sys) { await sys.print('hello'); }`;

async function expectSandboxStillWorks(runNext: (source: string) => Promise<RunResult>): Promise<void> {
  const next = await runNext(HELLO);
  expect(next.status).toBe('ok');
  expect(next.stdout).toBe('hello\n');
}

describe("student mistakes are the student's", () => {
  /** The child calls an async helper without await, and the helper throws: an unhandled rejection. */
  const UNAWAITED = `
    async function check(text) { if (text.length > 3) throw new Error('too long: ' + text.length); }
    export default async function main(sys) {
      const pid = await sys.fork();
      if (pid === 0) { check('hello'); await sys.print('child goes on'); return 0; }
      const child = await sys.wait();
      await sys.print('child status ' + child.status);
    }`;

  test('an unhandled rejection ends that simulated process like Node does: status 1, Uncaught (in promise) on its stderr', async () => {
    const result = await run(UNAWAITED);
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('child status 1\n');
    const child = result.processes.find((p) => p.pid === 3)!;
    expect(child).toMatchObject({ status: 1, stderr: 'Uncaught (in promise) too long: 5\n' });
    expect(result.processes.find((p) => p.pid === 2)!.status).toBe(0);
    await expectSandboxStillWorks(run);
  });

  test('an unhandled rejection is the same under every schedule and replays', async () => {
    for (const seed of [1, 2, 3]) {
      const result = await run(UNAWAITED, { settings: { schedule: 'random', seed } });
      expect({ seed, status: result.status, stdout: result.stdout }).toEqual({ seed, status: 'ok', stdout: 'child status 1\n' });
      const replayed = await run(UNAWAITED, { settings: { schedule: 'replay', decisions: result.decisions, seed } });
      expect(replayed.decisions).toEqual(result.decisions);
    }
  });
});

describe('limits', () => {
  test('while (true) {} ends the run as timeout, and the next run works', async () => {
    const result = await run(`export default async function main() { while (true) {} }`, { limits: { cpuMs: 300 } });
    expect(result.status).toBe('timeout');
    expect(result.message).toMatch(/300 ms of CPU time/);
    await expectSandboxStillWorks(run);
  });

  test('a run that keeps making system calls past its CPU budget ends as timeout and keeps its output', async () => {
    const source = `export default async function main(sys) {
      await sys.print('before');
      for (;;) { let sum = 0; for (let i = 0; i < 1e5; i++) sum += i; await sys.yield(); }
    }`;
    const result = await run(source, { limits: { cpuMs: 300 }, settings: { maxSteps: 1e7 } });
    expect(result.status).toBe('timeout');
    expect(result.stdout).toBe('before\n');
  });

  test('a run cut off at its time limit keeps the output and the process table it had', async () => {
    const source = `export default async function main(sys) {
      if (await sys.fork() === 0) { await sys.print('child'); return 0; }
      await sys.wait();
      await sys.print('before');
      while (true) {}
    }`;
    const result = await run(source, { limits: { cpuMs: 300 } });
    expect(result.status).toBe('timeout');
    expect(result.message).toMatch(/300 ms of CPU time/);
    expect(result.stdout).toBe('child\nbefore\n');
    expect(result.processes.map(({ pid, status }) => ({ pid, status }))).toEqual([{ pid: 2, status: null }, { pid: 3, status: 0 }]);
    await expectSandboxStillWorks(run);
  });

  test('an allocation bomb ends the run as memory-limit, and the next run works', async () => {
    const source = `export default async function main() {
      const hoard = [];
      for (;;) hoard.push(new Array(100000).fill(1.5));
    }`;
    const result = await run(source);
    expect(result.status).toBe('memory-limit');
    expect(result.message).toMatch(/64 MiB/);
    await expectSandboxStillWorks(run);
  });

  test('a process awaiting something that is not a system call does not hang the run', async () => {
    const result = await run(`export default async function main(sys) { await sys.print('a'); await new Promise(() => {}); }`);
    expect(result.status).toBe('deadlock');
    expect(result.stdout).toBe('a\n');
  });
});

describe('the sandbox child process', () => {
  const client = new SandboxClient();
  afterAll(() => client.close());

  test('runs a job and reports its result', async () => {
    await expectSandboxStillWorks((source) => client.run(jobFor(source)));
  });

  test("a finished run's result is collected without any of the program's code running (that call has no time limit)", async () => {
    // Every hook spins for ever once its process is over: only the watchdog would end a collection that called one.
    const source = `
      let over = false;
      const spin = () => { while (over) {} return 'hook'; };
      const trap = { toJSON: spin, toString: spin, valueOf: spin, [Symbol.toPrimitive]: spin, get message() { return spin(); }, get stack() { return spin(); } };
      export default async function main(sys) {
        const child = await sys.fork();
        await sys.print(trap);
        console.log(trap);
        if (child === 0) { over = true; return 0; }
        await sys.wait();
        over = true;
        return 0;
      }`;
    const result = await client.run(jobFor(source, { limits: { cpuMs: 300 } }));
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('"hook"\n"hook"\n');
    expect(result.processes.map(({ status }) => status)).toEqual([0, 0]);
  });

  test('a child that dies mid-run is reported as memory-limit, and the next run gets a new child', async () => {
    const endless = client.run(jobFor(`export default async function main() { while (true) {} }`, { limits: { cpuMs: 30_000 } }));
    // Wait until the job is running in the child, then kill the child as V8 would on an out-of-memory.
    while (client.childPid === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    const dying = client.childPid;
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(dying, 'SIGKILL');
    expect((await endless).status).toBe('memory-limit');
    await expectSandboxStillWorks((source) => client.run(jobFor(source)));
    expect(client.childPid).not.toBe(dying);
  });
});

describe('compiling', () => {
  test('a syntax error is a compile-error naming its line and column', async () => {
    const result = await run(`export default async function main(sys) {\n  const x = ;\n}`, { fileName: 'broken.ts' });
    expect(result.status).toBe('compile-error');
    expect(result.message).toBe('Syntax error in broken.ts on line 2, column 13: Expression expected.');
  });

  test('a static import is a compile-error naming the module and its line', async () => {
    const result = await run(`import { readFileSync } from 'fs';\nexport default async function main() { readFileSync('x'); }`);
    expect(result.status).toBe('compile-error');
    expect(result.message).toBe("Submissions cannot import modules ('fs' on line 1).");
  });

  test('a type-only import compiles, since it vanishes', async () => {
    const result = await run(`import type { Sys } from 'rendezvous';\nexport default async function main(sys: Sys) { await sys.print('typed'); }`);
    expect(result.stdout).toBe('typed\n');
  });

  test('a JavaScript file is compiled as JavaScript: type annotations are a syntax error', async () => {
    const result = await run(`export default async function main(sys: any) {}`, { fileName: 'main.js' });
    expect(result.status).toBe('compile-error');
    expect(result.message).toBe(
      'Syntax error in main.js on line 1, column 41: Type annotations can only be used in TypeScript files.',
    );
  });
});

describe('what student code cannot reach', () => {
  test.each(['require', 'process', 'fetch', 'setTimeout', 'setInterval'])('%s does not exist', async (name) => {
    const result = await run(`export default async function main(sys) { await sys.print(typeof ${name}); }`);
    expect(result.stdout).toBe('undefined\n');
  });

  test('calling require ends the process with an uncaught ReferenceError', async () => {
    const result = await run(`export default async function main() { require('fs'); }`);
    expect(result.processes[0]).toMatchObject({ status: 1, stderr: 'Uncaught require is not defined\n' });
  });

  test('dynamic import() is rejected at compile time', async () => {
    const result = await run(`export default async function main() {\n  await import('fs');\n}`);
    expect(result.status).toBe('compile-error');
    expect(result.message).toBe("Submissions cannot import modules ('fs' on line 2).");
  });

  test('the sandbox runtime is not among the globals', async () => {
    const result = await run(`export default async function main(sys) {
      await sys.print(Object.getOwnPropertyNames(globalThis).filter((name) => /runtime|kernel|realm/i.test(name)).length);
    }`);
    expect(result.stdout).toBe('0\n');
  });
});

/** Tries each assignment, printing `name:ok` or `name:ErrorName`. */
const ATTEMPT = `const attempt = async (sys, name, change) => {
  try { change(); await sys.print(name + ':ok'); } catch (error) { await sys.print(name + ':' + error.name); }
};`;

describe('isolation between processes and runs', () => {
  test('a process cannot change Array.prototype for another process', async () => {
    const result = await run(`${ATTEMPT}
      export default async function main(sys) {
        if ((await sys.fork()) === 0) {
          await attempt(sys, 'method', () => { Array.prototype.evil = () => 'gotcha'; });
          await attempt(sys, 'push', () => { Array.prototype.push = () => 0; });
          return 0;
        }
        await sys.wait();
        const list = [];
        list.push(1);
        await sys.print(typeof [].evil, list.length);
      }`);
    expect(result.stdout).toBe('method:TypeError\npush:TypeError\nundefined 1\n');
  });

  test('a process cannot change Object.prototype for another process', async () => {
    const result = await run(`${ATTEMPT}
      export default async function main(sys) {
        if ((await sys.fork()) === 0) {
          await attempt(sys, 'add', () => { Object.prototype.polluted = true; });
          await attempt(sys, 'replace', () => { Object.prototype.hasOwnProperty = () => true; });
          await attempt(sys, 'via __proto__', () => { ({}).__proto__.polluted = true; });
          return 0;
        }
        await sys.wait();
        await sys.print(({}).polluted, ({}).hasOwnProperty('x'));
      }`);
    expect(result.stdout).toBe('add:TypeError\nreplace:TypeError\nvia __proto__:TypeError\nundefined false\n');
  });

  test('a process cannot leave anything on globalThis for another process', async () => {
    const result = await run(`${ATTEMPT}
      export default async function main(sys) {
        if ((await sys.fork()) === 0) {
          await attempt(sys, 'add', () => { globalThis.shared = 1; });
          await attempt(sys, 'replace', () => { globalThis.JSON = null; });
          await attempt(sys, 'Math.random', () => { Math.random = () => 4; });
          return 0;
        }
        await sys.wait();
        await sys.print(typeof globalThis.shared, typeof JSON.stringify, Math.random() < 1);
      }`);
    expect(result.stdout).toBe('add:TypeError\nreplace:TypeError\nMath.random:TypeError\nundefined function true\n');
  });

  test("a child's change to a top-level variable is not seen by its parent", async () => {
    const result = await run(`
      let counter = 0;
      export default async function main(sys) {
        if ((await sys.fork()) === 0) { counter = 42; return 0; }
        await sys.wait();
        await sys.print(counter);
      }`);
    expect(result.stdout).toBe('0\n');
  });

  test('nothing one run tries on the realm is seen by the next run', async () => {
    await run(`export default async function main() {
      for (const change of [
        () => { Array.prototype.evil = 1; },
        () => { Object.prototype.evil = 1; },
        () => { globalThis.evil = 1; },
        () => { Object.getPrototypeOf(async function () {}).evil = 1; },
      ]) try { change(); } catch {}
    }`);
    const next = await run(`export default async function main(sys) {
      await sys.print([[].evil, ({}).evil, globalThis.evil, Object.getPrototypeOf(async function () {}).evil].join(','));
    }`);
    expect(next.stdout).toBe(',,,\n');
  });

  test('assigning toString or name on its own objects still works on frozen prototypes', async () => {
    const result = await run(`export default async function main(sys) {
      class Oops extends Error { constructor(message) { super(message); this.name = 'Oops'; } }
      const point = { x: 1 };
      point.toString = () => 'a point';
      await sys.print(String(new Oops('bad')), String(point));
    }`);
    expect(result.stdout).toBe('Oops: bad a point\n');
  });

  test("a promise's constructor is a plain frozen value: a subclass works, a replacement is refused", async () => {
    const result = await run(`export default async function main(sys) {
      class Later extends Promise {}
      const later = Later.resolve(1).then((value) => value + 1);
      const refused = [];
      try { Promise.prototype.constructor = Later; } catch (error) { refused.push(error instanceof TypeError); }
      try { Promise.resolve().constructor = Later; } catch (error) { refused.push(error instanceof TypeError); }
      await sys.print(later instanceof Later, await later, refused.join(','), Promise.resolve().constructor === Promise);
    }`);
    expect(result.stdout).toBe('true 2 true,true true\n');
  });
});

describe('the simulated realm', () => {
  const RANDOM = `export default async function main(sys) { await sys.print(Math.random(), Math.random()); }`;

  test('Math.random is seeded: the same seed gives the same values, another seed others', async () => {
    const first = await run(RANDOM, { settings: { seed: 7 } });
    const again = await run(RANDOM, { settings: { seed: 7 } });
    const other = await run(RANDOM, { settings: { seed: 8 } });
    expect(first.stdout).toMatch(/^0\.\d+ 0\.\d+\n$/);
    expect(again.stdout).toBe(first.stdout);
    expect(other.stdout).not.toBe(first.stdout);
  });

  test('Date.now() and new Date() show simulated time, which only sleeping advances', async () => {
    const result = await run(`export default async function main(sys) {
      const before = Date.now();
      for (let i = 0; i < 1e6; i++);
      await sys.print(before, Date.now(), new Date().getTime());
      await sys.sleep(1500);
      await sys.print(Date.now(), new Date().getTime(), new Date(5).getTime(), new Date() instanceof Date);
    }`);
    expect(result.stdout).toBe('0 0 0\n1500 1500 5 true\n');
  });

  test('console.log writes to the debug log, not to stdout', async () => {
    const result = await run(`export default async function main(sys) {
      console.log('value', { a: [1, 'two'] });
      await sys.print('out');
    }`);
    expect(result.stdout).toBe('out\n');
    expect(result.debugLog).toContain("value { a: [ 1, 'two' ] }");
  });

  test('SysError is a global, and a failing call rejects with one', async () => {
    const result = await run(`export default async function main(sys) {
      try { await sys.close(99); } catch (error) { await sys.print(error instanceof SysError, error.code); }
    }`);
    expect(result.stdout).toBe('true EBADF\n');
  });
});

describe('the walls around the sandbox child', () => {
  const secret = 'postgres://grader:hunter2@db/rendezvous';
  let client: SandboxClient;
  beforeAll(() => {
    process.env.DATABASE_URL = secret;
    client = new SandboxClient({ memoryCapMb: 768, niceness: 7 });
  });
  afterAll(() => {
    client.close();
    delete process.env.DATABASE_URL;
  });

  test("the child holds none of the caller's environment, and runs under its data cap", async () => {
    const report = await client.inspect();
    expect(report?.environment).not.toContain('DATABASE_URL');
    // bubblewrap sets PWD as it enters the project folder; nothing else comes from anywhere.
    expect(report?.environment.filter((name) => name !== 'PWD')).toEqual(['TZ']);
    expect(report?.dataCapMb).toBe(768);
  });

  test('the child is the user, and sees the network, that describeWalls reports', async () => {
    const walls = client.describeWalls().join('\n');
    const report = await client.inspect();
    if (/^user: nobody/m.test(walls)) expect(report?.uid).toBe(65534);
    else expect(report?.uid).toBe(process.getuid?.());
    // A network namespace of its own has nothing but loopback.
    if (/^namespaces: bubblewrap/m.test(walls)) expect(report?.networkInterfaces.filter((name) => name !== 'lo')).toEqual([]);
  });

  test('every thread of the child runs at the nice value asked for (a lower CPU priority than the caller)', async () => {
    const report = await client.inspect();
    // A caller already below 7 cannot go back up: its own value holds.
    const expected = Math.max(7, getPriority());
    expect(report?.threadNiceness).toEqual([expected]);
    const priority = client.describeWalls().find((line) => line.startsWith('priority: '));
    expect(priority).toMatch(expected > getPriority() ? `priority: nice 7, below the caller's ${getPriority()}` : `priority: nice ${expected}, as the caller`);
  });

  test("the child's session is lowered too: Linux's autogroups weigh a session against the caller's as an equal", async () => {
    const report = await client.inspect();
    const ownGroup = existsSync('/proc/self/autogroup') ? readFileSync('/proc/self/autogroup', 'utf8') : null;
    if (ownGroup === null) expect(report?.sessionNiceness).toBeNull();
    else {
      expect(report?.sessionNiceness).toBe(Math.max(7, getPriority()));
      // The child has a session of its own: lowering it left this process's group as it was.
      expect(readFileSync('/proc/self/autogroup', 'utf8')).toBe(ownGroup);
    }
    if (7 > getPriority()) expect(client.describeWalls()).toContainEqual(expect.stringContaining("its session's scheduling group too"));
  });

  test("the child runs with the sandbox's V8 flags, whatever walls wrap its command", async () => {
    const report = await client.inspect();
    expect(report?.nodeFlags).toEqual(expect.arrayContaining(SANDBOX_V8_FLAGS));
  });
});
