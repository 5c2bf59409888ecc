import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CLI = path.join(__dirname, 'rendezvous.js');
let workDir: string;

interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `rendezvous` as a user would, in a directory holding the programs below. */
function rendezvous(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: workDir }, (error, stdout, stderr) => {
      resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

async function runJson(...args: string[]) {
  const outcome = await rendezvous('run', ...args, '--json');
  expect(outcome.exitCode).toBe(0);
  return JSON.parse(outcome.stdout);
}

const PROGRAMS: Record<string, string> = {
  'hello.ts': `export default async function main(sys) { await sys.print('hello'); await sys.write(2, 'to stderr\\n'); }`,
  'deadlock.ts': `export default async function main(sys) { const [readEnd] = await sys.pipe(); await sys.read(readEnd, 1); }`,
  'inputs.ts': `export default async function main(sys, argv) {
    const file = await sys.open('notes.txt', 'r');
    await sys.print(await sys.read(0, 100), argv.join('|'), await sys.read(file, 100));
  }`,
  'pipe-call.ts': `export default async function main(sys) {
    try { await sys.pipe(); } catch (error) { await sys.print(error.code); }
  }`,
  'forks.ts': `export default async function main(sys) {
    for (let i = 0; i < 3; i++) if ((await sys.fork()) === 0) { for (let j = 0; j < 3; j++) await sys.print(i, j); return 0; }
    for (let i = 0; i < 3; i++) await sys.wait();
  }`,
  'remote.ts': `export default async function main(sys, argv) { await sys.print('remote', sys.getpid(), argv.length); }`,
};

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'rendezvous-cli-'));
  for (const [name, source] of Object.entries(PROGRAMS)) writeFileSync(path.join(workDir, name), source);
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('rendezvous run', () => {
  test("prints the program's stdout and stderr and exits 0", async () => {
    expect(await rendezvous('run', 'hello.ts')).toEqual({ exitCode: 0, stdout: 'hello\n', stderr: 'to stderr\n' });
  });

  test('--json prints one RunResult document with every key cli.md lists, and nothing else', async () => {
    const outcome = await rendezvous('run', 'hello.ts', '--json');
    expect(outcome.exitCode).toBe(0);
    const result = JSON.parse(outcome.stdout);
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining([
        'status', 'message', 'stdout', 'stderr', 'processes', 'deadlock', 'races', 'zombies', 'openFds', 'steps',
        'simTimeMs', 'trace',
      ]),
    );
    expect(result).toMatchObject({ status: 'ok', message: null, stdout: 'hello\n', stderr: 'to stderr\n', trace: null });
    expect(result.processes).toEqual([
      { host: '10.0.0.1', pid: 2, ppid: 1, status: 0, signal: null, stdout: 'hello\n', stderr: 'to stderr\n' },
    ]);
  });

  test("exits 0 whatever the program's verdict, and names the verdict on stderr", async () => {
    const outcome = await rendezvous('run', 'deadlock.ts');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stderr).toMatch(/^rendezvous: deadlock: /m);
    const result = await runJson('deadlock.ts');
    expect(result.status).toBe('deadlock');
    expect(result.deadlock.blocked).toEqual([expect.objectContaining({ pid: 2, tid: 2, call: 'read' })]);
  });

  test('--stdin, --arg and --file reach the program', async () => {
    const result = await runJson('inputs.ts', '--stdin', 'typed', '--arg', 'a', '--arg=-n', '--file', 'notes.txt=x=1');
    expect(result.stdout).toBe('typed a|-n x=1\n');
  });

  test('--enable leaves the other groups disabled', async () => {
    const result = await runJson('pipe-call.ts', '--enable', 'proc,fd');
    expect(result.stdout).toBe('ENOSYS\n');
  });

  test('--trace includes the trace', async () => {
    const result = await runJson('hello.ts', '--trace');
    expect(result.trace).toEqual(expect.arrayContaining([expect.objectContaining({ call: 'print', thread: '2:2' })]));
  });

  test('--replay with a RunResult reproduces a random run exactly', async () => {
    const original = await runJson('forks.ts', '--schedule', 'random', '--seed', '11');
    writeFileSync(path.join(workDir, 'original.json'), JSON.stringify(original));
    const replayed = await runJson('forks.ts', '--replay', 'original.json');
    expect(replayed).toMatchObject({ strategy: 'replay', seed: 11, stdout: original.stdout, decisions: original.decisions });
  });

  test('--host starts a program on another host as its first user process', async () => {
    const result = await runJson('hello.ts', '--host', '10.0.0.2=remote.ts');
    expect(result.stdout).toContain('remote 2 0\n');
    expect(result.processes).toContainEqual(expect.objectContaining({ host: '10.0.0.2', pid: 2 }));
  });

  test('--cpu-ms bounds the CPU time', async () => {
    writeFileSync(path.join(workDir, 'spin.ts'), `export default async function main() { while (true) {} }`);
    const result = await runJson('spin.ts', '--cpu-ms', '200');
    expect(result.status).toBe('timeout');
  });
});

describe('usage errors exit 2 with one line on stderr', () => {
  test.each([
    [['run', 'hello.ts', '--bogus'], "rendezvous: unknown option '--bogus'"],
    [['run', 'missing.ts'], "rendezvous: cannot read program 'missing.ts': no such file"],
    [['run'], 'rendezvous: missing <program> (usage: rendezvous run <program> [options])'],
    [['launch', 'hello.ts'], "rendezvous: unknown command 'launch' (usage: rendezvous run <program> [options])"],
    [['run', 'hello.ts', '--seed', 'x'], "rendezvous: --seed must be a whole number of at least 0, not 'x'"],
    [['run', 'hello.ts', '--schedule', 'fifo'], "rendezvous: --schedule must be one of rr, random, pct, replay, not 'fifo'"],
    [
      ['run', 'hello.ts', '--enable', 'proc,sockets'],
      "rendezvous: unknown group 'sockets' in --enable (groups: all, proc, fd, pipe, signal, thread, sync, time, msgqueue, message, mailbox, shm, socket)",
    ],
    [['run', 'hello.ts', '--host', '10.0.0.2'], "rendezvous: --host takes ADDR=FILE, not '10.0.0.2'"],
  ])('rendezvous %j', async (args, reason) => {
    expect(await rendezvous(...args)).toEqual({ exitCode: 2, stdout: '', stderr: `${reason}\n` });
  });
});
