/**
 * A run's limit is the CPU time it uses, not the wall time it takes: on a machine where other
 * processes hold the core, an honest run that needs less than its budget still finishes, and code
 * that never ends is still stopped. The load is made real: this test process and busy child
 * processes are pinned to one core, so the run gets a fraction of it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { TIMEOUT_MESSAGE, type RunResult } from '../kernel';
import { runWallLimitMs, WALL_TIME_PER_CPU_BUDGET } from '../common/job';
import { GradingSession, judgedAttempt, processCpuMs, recentProcessCpuMs } from './session';

const CPU_MS = 400;
/** Busy processes sharing the run's core: the run gets at most a fifth of it. */
const BUSY_PROCESSES = 4;

/**
 * Does `argv[0]` chunks of work, with a scheduling point between chunks, then prints a checksum.
 * The work is a builtin's (JSON), so its cost does not move with what the JIT makes of the loop.
 */
const HONEST = `
export default async function main(sys: any, argv: string[]) {
  const data = Array.from({ length: 1000 }, (_, i) => i * 1.5);
  let sum = 0;
  for (let chunk = 0; chunk < Number(argv[0]); chunk++) {
    for (let i = 0; i < 5; i++) sum += JSON.stringify(data).length;
    await sys.yield();
  }
  sys.print(String(sum));
}
`;

/** Computes forever without a system call. */
const ENDLESS = 'export default async function main() { for (;;) { /* spin */ } }';

/** Computes forever, with a scheduling point between chunks: the kernel stops it at its budget. */
const ENDLESS_YIELDING = `
export default async function main(sys: any) {
  let sum = 0;
  for (;;) {
    for (let i = 0; i < 200_000; i++) sum = (sum * 31 + i) % 1_000_003;
    await sys.yield();
  }
}
`;

/** One run of `source` through a grading session; the wall time is the run's alone, compiling excluded. */
async function run(source: string, argv: string[] = []): Promise<{ result: RunResult; wallMs: number; cpuMs: number }> {
  const session = await GradingSession.open([{ source, fileName: 'main.ts' }], { cpuMs: CPU_MS });
  if ('compileError' in session) throw new Error(session.compileError);
  try {
    const began = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = session.runOne({ programs: [{ argv }], settings: { maxSteps: 1_000_000 } });
    const cpu = process.cpuUsage(cpuBefore);
    return { result, wallMs: performance.now() - began, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    session.close();
  }
}

const allCores = `0-${availableParallelism() - 1}`;
let busy: ChildProcess[] = [];

/** Sets the cores every thread of this process may run on (a thread may end meanwhile: then it needs none). */
function pinThisProcess(cores: string): void {
  for (const thread of readdirSync('/proc/self/task')) {
    try {
      execFileSync('taskset', ['-p', '-c', cores, thread], { stdio: 'ignore' });
    } catch {
      // The thread ended.
    }
  }
}

/** Pins this process and `BUSY_PROCESSES` spinning processes to core 0. */
function loadOneCore(): void {
  pinThisProcess('0');
  busy = Array.from({ length: BUSY_PROCESSES }, () => spawn('taskset', ['-c', '0', process.execPath, '-e', 'for (;;);'], { stdio: 'ignore' }));
}

function unload(): void {
  for (const child of busy) child.kill('SIGKILL');
  busy = [];
  pinThisProcess(allCores);
}

afterEach(unload);

/** CPU milliseconds one chunk of HONEST takes on this machine (by CPU time: other sessions may load it already). */
async function cpuMsPerChunk(): Promise<number> {
  await run(HONEST, ['50']); // warm the compiler and the realm
  const { result, cpuMs } = await run(HONEST, ['200']);
  expect(result.status).toBe('ok');
  return cpuMs / 200;
}

describe('the CPU budget of a run', () => {
  test('an honest run within its CPU budget finishes on a core shared with busy processes, past its budget in wall time', async () => {
    const perChunk = await cpuMsPerChunk();
    // Other work on the machine changes the share the run gets; an attempt in which the load did not bite, or
    // starved the run below a tenth of a core (where the wall limit rightly stops it), is tried again.
    // Half the budget in CPU time: with a fifth of a core it takes two and a half times the budget in wall time.
    const chunks = Math.max(1, Math.round(CPU_MS / 2 / perChunk));
    for (let attempt = 1; attempt <= 3; attempt++) {
      const alone = await run(HONEST, [String(chunks)]);
      expect(alone.result.status).toBe('ok');
      // A machine busy enough to make the same work dearer than measured leaves no margin: try again.
      if (alone.cpuMs > 0.8 * CPU_MS) continue;
      loadOneCore();
      const loaded = await run(HONEST, [String(chunks)]);
      unload();
      const starved = loaded.cpuMs / loaded.wallMs < 1 / WALL_TIME_PER_CPU_BUDGET;
      // The load bit (a wall-clock limit would have stopped the run), and the run had at least a tenth of the core.
      if (loaded.wallMs > CPU_MS && !starved) {
        expect({ status: loaded.result.status, stdout: loaded.result.stdout }).toEqual({ status: 'ok', stdout: alone.result.stdout });
        return;
      }
    }
    throw new Error('In three attempts the load either did not slow the run past its budget, starved it below a tenth of a core, or made its work dearer than its budget.');
  }, 120_000);

  test.each([['without a system call', ENDLESS], ['yielding between chunks', ENDLESS_YIELDING]])(
    'an endless computation %s is stopped as timeout, also on a loaded core',
    async (_, source) => {
      const idle = await run(source);
      // The run ends however busy the machine; a run that gets a core stops near its CPU budget, a starved one at its wall limit.
      const mostCpuMs = runWallLimitMs({ cpuMs: CPU_MS, memoryMb: 64 });
      expect(idle.result.status).toBe('timeout');
      expect(idle.cpuMs).toBeLessThan(mostCpuMs);
      loadOneCore();
      const loaded = await run(source);
      expect(loaded.result.status).toBe('timeout');
      expect(loaded.cpuMs).toBeLessThan(mostCpuMs);
    },
    60_000,
  );
});

describe('a retry that had the core', () => {
  const limits = { cpuMs: CPU_MS, memoryMb: 64 };

  test('a run that used well over its budget of CPU time in a retry times out, keeping its output; within the tolerance it stands', async () => {
    const { result } = await run(HONEST, ['1']);
    expect(result.status).toBe('ok');
    const judged = judgedAttempt(result, 3 * CPU_MS, limits);
    expect({ status: judged.status, message: judged.message, stdout: judged.stdout }).toEqual({ status: 'timeout', message: TIMEOUT_MESSAGE, stdout: result.stdout });
    // The same work costs more CPU time on a shared core: an honest run somewhat over its budget there stands.
    expect(judgedAttempt(result, 1.5 * CPU_MS, limits)).toBe(result);
    // A first attempt that ended within its budget of wall time is not measured.
    expect(judgedAttempt(result, null, limits)).toBe(result);
  });
});

describe('reading the CPU time', () => {
  /** Spins the CPU for `ms` of wall time. */
  const spin = (ms: number): void => {
    const until = performance.now() + ms;
    while (performance.now() < until) { /* spin */ }
  };

  test('a recent reading serves again, so an account opened from it can only come out larger; a stale one is read afresh', () => {
    const first = processCpuMs();
    spin(3);
    expect(recentProcessCpuMs(60_000)).toBe(first);
    const fresh = recentProcessCpuMs(1);
    expect(fresh).toBeGreaterThan(first);
    expect(recentProcessCpuMs(60_000)).toBe(fresh);
  });
});
