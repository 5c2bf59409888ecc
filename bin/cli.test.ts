import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pctStepsFor } from '../common/job';
import { GradingSession } from '../grader/session';
import { replayCommand, shellWord } from '../lib/replay-command';

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
  'limits.ts': `export default async function main(sys) {
    const queue = await sys.msgget('q');
    let queued = 0;
    try { while (queued < 20) { await sys.msgsnd(queue, 1, 'x', { nowait: true }); queued++; } } catch (error) { if (error.code !== 'EAGAIN') throw error; }
    const box = await sys.mailbox_create('box');
    let boxed = 0;
    try { while (boxed < 20) { await sys.mailbox_send(box, 'x', { nowait: true }); boxed++; } } catch (error) { if (error.code !== 'EAGAIN') throw error; }
    const fd = await sys.socket('inet', 'stream');
    const refused = await sys.connect(fd, { host: '10.0.0.2', port: 7 }).catch((error) => error.message);
    await sys.print('queue', queued, 'mailbox', boxed, refused.includes('no host') ? 'no host' : 'host', 'and a long tail');
  }`,
  'one-program.json': '{ "entry": "default" }',
  'bad-host.json': '[{ "entry": "default" }, { "host": "10.0.0" }]',
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

  test("--schedule pct with a seed is the grader's PCT run of that seed: change points over 1.2x the round-robin run's steps", async () => {
    const source = readFileSync(path.join(workDir, 'forks.ts'), 'utf8');
    const opened = await GradingSession.open([{ source, fileName: 'forks.ts' }]);
    if ('compileError' in opened) throw new Error(opened.compileError);
    try {
      const [roundRobin] = await opened.runMany([{ programs: [{}], settings: {} }]);
      for (const seed of [3, 8]) {
        const [graders] = await opened.runMany([{ programs: [{}], settings: { schedule: 'pct', seed, pctSteps: pctStepsFor(roundRobin) } }]);
        const cli = await runJson('forks.ts', '--schedule', 'pct', '--seed', String(seed));
        expect(cli.decisions).toEqual(graders.decisions);
        expect(cli.stdout).toBe(graders.stdout);
      }
    } finally {
      opened.close();
    }
  });

  test('--msgqueue-capacity, --mailbox-capacity, --hosts and --output-limit reach the kernel', async () => {
    expect((await runJson('limits.ts')).stdout).toBe('queue 8 mailbox 8 no host and a long tail\n');
    const limited = await runJson('limits.ts', '--msgqueue-capacity', '2', '--mailbox-capacity', '3', '--hosts', '10.0.0.2', '--output-limit', '20');
    expect(limited.stdout).toMatch(/^queue 2 mailbox 3 ho\.\.\.\[output truncated\]/);
  });

  test('--programs starts the exports it lists, each with its host, argv (any JSON) and stdin', async () => {
    const buffer = path.join(__dirname, '..', 'exercises', 'bounded-buffer-semaphores');
    writeFileSync(path.join(workDir, 'buffer-programs.json'), JSON.stringify([{ entry: 'producer', argv: [1, 3] }, { entry: 'consumer', argv: [3] }]));
    const run = await runJson(path.join(buffer, 'solution.ts'), '--programs', 'buffer-programs.json', '--enable', 'shm,sync');
    expect(run).toMatchObject({ status: 'ok', stdout: '101\n102\n103\n' });
    expect(run.processes.map((p: { pid: number }) => p.pid)).toEqual([2, 3]);
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
    [
      ['launch', 'hello.ts'],
      "rendezvous: unknown command 'launch' (usage: rendezvous run <program> [options] | " +
        'rendezvous grade <exercise> <submission>... [--json] [--visible-only] [--seed N] | rendezvous validate <exercise> [--seed N] [--seeds N] | rendezvous doctor)',
    ],
    [['grade', 'no-such-exercise', 'hello.ts'], "rendezvous: unknown exercise 'no-such-exercise': no built-in exercise has this name and no folder has this path"],
    [['grade', 'pipe-message', 'missing.ts'], "rendezvous: cannot read submission 'missing.ts': no such file"],
    [['grade', 'pipe-message'], 'rendezvous: missing arguments (usage: rendezvous grade <exercise> <submission>... [--json] [--visible-only] [--seed N])'],
    [['grade', 'pipe-message', 'hello.ts', 'missing.ts'], "rendezvous: cannot read submission 'missing.ts': no such file"],
    [['doctor', 'now'], "rendezvous: unexpected argument 'now' (usage: rendezvous doctor)"],
    [['validate', 'pipe-message', '--bogus'], "rendezvous: unknown option '--bogus'"],
    [['validate', 'pipe-message', '--seeds', 'x'], "rendezvous: --seeds must be a whole number, not 'x'"],
    [['validate', 'pipe-message', '--seeds', '0'], 'rendezvous: --seeds must be at least 1'],
    [['grade', 'pipe-message', 'hello.ts', '--seeds', '3'], 'rendezvous: --seeds is an option of validate; grade takes one --seed'],
    [['run', 'hello.ts', '--seed', 'x'], "rendezvous: --seed must be a whole number of at least 0, not 'x'"],
    [['run', 'hello.ts', '--schedule', 'fifo'], "rendezvous: --schedule must be one of rr, random, pct, replay, not 'fifo'"],
    [
      ['run', 'hello.ts', '--enable', 'proc,sockets'],
      "rendezvous: unknown group 'sockets' in --enable (groups: all, proc, fd, pipe, signal, thread, sync, time, msgqueue, message, mailbox, shm, socket)",
    ],
    [['run', 'hello.ts', '--host', '10.0.0.2'], "rendezvous: --host takes ADDR=FILE, not '10.0.0.2'"],
    [['run', 'hello.ts', '--programs', 'hello.ts'], "rendezvous: --programs file 'hello.ts' is not JSON"],
    [
      ['run', 'hello.ts', '--programs', 'one-program.json'],
      `rendezvous: --programs file 'one-program.json' must be a list of programs like [{"entry": "server"}, {"entry": "client", "host": "10.0.0.2", "argv": ["10.0.0.1"]}]: `
        + 'the list: Invalid input: expected array, received object',
    ],
    [
      ['run', 'hello.ts', '--programs', 'bad-host.json'],
      `rendezvous: --programs file 'bad-host.json' must be a list of programs like [{"entry": "server"}, {"entry": "client", "host": "10.0.0.2", "argv": ["10.0.0.1"]}]: `
        + '1.host: must be an IPv4 address',
    ],
    [['run', 'hello.ts', '--network', 'loss=2'], "rendezvous: --network takes loss=P,duplicate=P,reorder=P with each P from 0 to 1, not 'loss=2'"],
    [['run', 'hello.ts', '--network', 'jitter=0.1'], "rendezvous: --network takes loss=P,duplicate=P,reorder=P with each P from 0 to 1, not 'jitter=0.1'"],
    [['run', 'hello.ts', '--hosts', '10.0.0.2,nowhere'], "rendezvous: --hosts takes IPv4 addresses separated by commas, not 'nowhere'"],
    [['run', 'hello.ts', '--mailbox-capacity', 'many'], "rendezvous: --mailbox-capacity must be a whole number or 'inf', not 'many'"],
    [['run', 'hello.ts', '--programs', 'bad-host.json', '--arg', 'x'], 'rendezvous: --programs gives every program its arguments, stdin and host: it does not go with --arg, --stdin or --host'],
  ])('rendezvous %j', async (args, reason) => {
    expect(await rendezvous(...args)).toEqual({ exitCode: 2, stdout: '', stderr: `${reason}\n` });
  });
});

describe('rendezvous grade and validate', () => {
  const exercise = path.join(__dirname, '..', 'exercises', 'pipe-message');

  test('grade --json prints one GradeResult with every key cli.md names', async () => {
    const { exitCode, stdout } = await rendezvous('grade', 'pipe-message', path.join(exercise, 'wrong', 'single-read.ts'), '--json');
    expect(exitCode).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['status', 'message', 'score', 'maxScore', 'tests', 'durationMs']));
    expect(result).toMatchObject({ status: 'graded', maxScore: 11 });
    expect(result.score).toBeLessThan(11);
    const failed = result.tests.find((test: { passed: boolean }) => !test.passed);
    expect(Object.keys(failed)).toEqual(expect.arrayContaining(['name', 'weight', 'visible', 'passed', 'message', 'counterexample']));
    expect(failed.counterexample).toMatchObject({ seed: expect.any(Number), strategy: expect.any(String), trace: expect.any(Array) });
  });

  test('grade with several submissions grades each in turn through one sandbox: a JSON array in the order given, each naming its file', async () => {
    const submissions = ['solution.ts', 'starter.ts', 'solution.ts'].map((file) => path.join(exercise, file));
    const { exitCode, stdout } = await rendezvous('grade', 'pipe-message', ...submissions, '--json');
    expect(exitCode).toBe(0);
    const results = JSON.parse(stdout);
    expect(results.map((result: { submission: string; status: string; score: number }) => [result.submission, result.status, result.score]))
      .toEqual([[submissions[0], 'graded', 11], [submissions[1], 'graded', expect.any(Number)], [submissions[2], 'graded', 11]]);
    expect(results[1].score).toBeLessThan(11);
  });

  test('grade without --json heads each of several results with its path', async () => {
    const submissions = ['starter.ts', 'solution.ts'].map((file) => path.join(exercise, file));
    const { stdout } = await rendezvous('grade', 'pipe-message', ...submissions);
    expect(stdout).toMatch(new RegExp(`^== ${submissions[0]}\n[\\s\\S]*\n\n== ${submissions[1]}\n[\\s\\S]*score 11/11 in `));
  });

  test('grade --visible-only runs only the tests a student sees', async () => {
    const { stdout } = await rendezvous('grade', exercise, path.join(exercise, 'solution.ts'), '--json', '--visible-only');
    const result = JSON.parse(stdout);
    expect(result.tests.every((test: { visible: boolean }) => test.visible)).toBe(true);
    expect(result.score).toBe(result.maxScore);
  });

  test('a submission that does not compile is graded compile-error with its line', async () => {
    writeFileSync(path.join(workDir, 'broken.ts'), 'export default async function main(sys) {\n  await sys.print(;\n}\n');
    const { exitCode, stdout } = await rendezvous('grade', 'pipe-message', path.join(workDir, 'broken.ts'), '--json');
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'compile-error', score: 0, message: expect.stringMatching(/line 2/) });
  });

  test('a counterexample from grade replays the failing run with run --replay', async () => {
    const { stdout } = await rendezvous('grade', 'pipe-message', path.join(exercise, 'wrong', 'parent-keeps-write-end.ts'), '--json');
    const failed = JSON.parse(stdout).tests.find((test: { name: string }) => test.name === 'no deadlock');
    writeFileSync(path.join(workDir, 'counterexample.json'), JSON.stringify(failed.counterexample));
    const replayed = await runJson(path.join(exercise, 'wrong', 'parent-keeps-write-end.ts'), '--replay', 'counterexample.json',
      '--arg', 'The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over the lazy dog.', '--pipe-capacity', '16', '--pipe-buf', '8');
    expect(replayed.status).toBe('deadlock');
  });

  // Each: an exercise, a known-wrong solution, the test it fails, and a word the page's command must hold.
  test.each([
    ['pipe-message', 'wrong/short-read-is-eof.ts', 'parent prints the whole message under every schedule', '--pipe-capacity 16 --pipe-buf 8'],
    ['bounded-buffer-semaphores', 'wrong/mutex-first.ts', 'no deadlock under every schedule', '--programs programs.json'],
    ['reliable-transfer', 'wrong/prints-duplicates.ts', 'every chunk arrives, in order, over a lossy network', '--network loss='],
    ['message-queue', 'wrong/client-receives-any.ts', 'two clients get their squares', '--msgqueue-capacity'],
    ['tcp-echo-server', 'wrong/client-single-recv.ts', 'a client prints the whole echo of a long message', '--hosts 10.0.0.2,10.0.0.3,10.0.0.4'],
  ])("%s, %s: the web page's replay command, run in a shell, fails as the test's message says", async (slug, file, testName, option) => {
    const wrong = path.join(__dirname, '..', 'exercises', slug, file);
    const { stdout } = await rendezvous('grade', slug, wrong, '--json');
    const failed = JSON.parse(stdout).tests.find((test: { name: string }) => test.name === testName);
    const { seed, strategy, decisions, request } = failed.counterexample;
    const exact = replayCommand(request, { program: 'submission.ts', replay: 'counterexample.json', programs: 'programs.json' });
    if (!('command' in exact)) throw new Error(exact.unavailable);
    expect(exact.command).toContain(option);
    // The files the page offers, and its command, run by a shell as a student would.
    writeFileSync(path.join(workDir, 'counterexample.json'), JSON.stringify({ seed, strategy, decisions }));
    if (exact.programs) writeFileSync(path.join(workDir, 'programs.json'), exact.programs);
    cpSync(wrong, path.join(workDir, 'submission.ts'));
    const command = exact.command.replace(/^npx rendezvous/, `${shellWord(process.execPath)} ${shellWord(CLI)}`);
    const replayed = await new Promise<{ out: string; err: string }>((resolve, reject) => {
      execFile('bash', ['-c', command], { cwd: workDir, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => (error ? reject(error) : resolve({ out, err })));
    });
    const quoted = (label: string) => {
      const found = new RegExp(`${label} ("(?:[^"\\\\]|\\\\.)*")`).exec(failed.message);
      return found ? (JSON.parse(found[1]) as string) : null;
    };
    const whole = quoted('stdout was');
    const unexpected = quoted('unexpected in stdout:');
    if (whole !== null) expect(replayed.out).toBe(whole);
    else if (unexpected !== null) expect(replayed.out).toContain(unexpected);
    else expect(failed.message).toMatch(/Deadlock/);
    if (/Deadlock/.test(failed.message)) expect(replayed.err).toMatch(/^rendezvous: deadlock: Deadlock/m);
  });

  test('validate prints one line per check and exits 0 for a sound exercise', async () => {
    const { exitCode, stdout } = await rendezvous('validate', 'pipe-message');
    expect(exitCode).toBe(0);
    // The requirements, the reference, the Run panel's launch of it, the starter, then each known-wrong solution.
    const wrongs = JSON.parse(readFileSync(path.join(exercise, 'exercise.json'), 'utf8')).wrong.length;
    expect(stdout.trim().split('\n').map((line) => line.slice(0, 4))).toEqual(Array(4 + wrongs).fill('ok  '));
    expect(stdout).toMatch(/^ok {3}\d+ requirements, each checked by a test/);
    expect(stdout).toMatch(/^ok {3}the Run panel's programs \(default "hello"\) run the reference solution to its end in \d+ steps$/m);
  });

  test('validate exits 1 and names every problem of a malformed package', async () => {
    const broken = path.join(workDir, 'broken-exercise');
    mkdirSync(path.join(broken, 'tests'), { recursive: true });
    writeFileSync(path.join(broken, 'exercise.json'), JSON.stringify({ title: '', topics: [], difficulty: 'trivial', kernel: { pipeCapacity: 0 } }));
    writeFileSync(path.join(broken, 'solution.ts'), 'export default async () => 0;');
    const { exitCode, stdout } = await rendezvous('validate', broken);
    expect(exitCode).toBe(1);
    for (const problem of ['exercise.json: title', 'exercise.json: topics', 'exercise.json: difficulty', 'exercise.json: kernel.pipeCapacity',
      'statement.md: missing', 'starter.ts: missing', 'tests/visible.ts: missing', 'tests/hidden.ts: missing']) {
      expect(stdout).toContain(`FAIL ${problem}`);
    }
  });

  test('grade refuses a malformed package with exit 2 and the problems on one line', async () => {
    const broken = path.join(workDir, 'no-statement');
    cpSync(exercise, broken, { recursive: true });
    rmSync(path.join(broken, 'statement.md'));
    const { exitCode, stdout, stderr } = await rendezvous('grade', broken, path.join(broken, 'solution.ts'));
    expect({ exitCode, stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(stderr).toBe(`rendezvous: exercise '${broken}' is invalid (rendezvous validate lists why): statement.md: missing (the statement in Markdown)\n`);
  });

  test('validate exits 1 when a known-wrong solution passes a test it declares it fails', async () => {
    const copy = path.join(workDir, 'lying-exercise');
    cpSync(exercise, copy, { recursive: true });
    const metadata = JSON.parse(readFileSync(path.join(copy, 'exercise.json'), 'utf8'));
    metadata.wrong[2].fails.push('a short message arrives');
    writeFileSync(path.join(copy, 'exercise.json'), JSON.stringify(metadata));
    const { exitCode, stdout } = await rendezvous('validate', copy);
    expect(exitCode).toBe(1);
    expect(stdout).toContain("FAIL wrong/no-wait.ts (the parent never waits for its child): it passes 'a short message arrives', which it should fail");
  });
});

describe('rendezvous doctor', () => {
  test('names each wall around the sandbox, whether it stands here, and starts a child behind them', async () => {
    const { exitCode, stdout } = await rendezvous('doctor');
    expect(exitCode).toBe(0);
    for (const wall of ['environment', 'memory', 'user', 'namespaces', 'watchdog', 'sandbox child']) expect(stdout).toMatch(new RegExp(`^${wall}: `, 'm'));
    expect(stdout).toMatch(/^sandbox child: started behind these walls, \d+ MiB resident; from the inside: uid \d+, environment \[[^\]]*\], data cap 1024 MiB, network interfaces \[[^\]]*\], threads at nice \d+, session's scheduling group (at nice \d+|none \(no autogroups\))$/m);
  });
});
