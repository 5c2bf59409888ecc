import { Kernel } from './kernel';
import { fromWire, type WireRunResult } from './wire';
import { moduleFrom, runUntilFinished } from '../test/support/kernel';
import type { RunOptions, RunResult } from './types';

/** Runs to the end and gives the wire form as the host reads it (through JSON), and the result as Node callers get it. */
function runBoth(options: RunOptions): Promise<{ json: Record<string, unknown>; wire: WireRunResult; result: RunResult }> {
  const kernel = new Kernel(options);
  return runUntilFinished(kernel, () => {
    const wire = JSON.parse(JSON.stringify(kernel.wireResult())) as WireRunResult;
    return { json: wire as unknown as Record<string, unknown>, wire, result: kernel.result() };
  });
}

const program = (body: string) => moduleFrom(`export default async function main(sys, argv) {\n${body}\n}`);

test('an uneventful run leaves out of its JSON everything empty or as usual', async () => {
  const { json, wire, result } = await runBoth({ programs: [{ module: program("await sys.print('hi');") }] });
  expect(Object.keys(json).sort()).toEqual(['decisions', 'processes', 'seed', 'status', 'stdoutOf', 'steps', 'strategy']);
  // The one process that printed carries the run's stdout; the run names it rather than repeat it.
  expect(json.processes).toEqual([{ pid: 2, ppid: 1, status: 0, stdout: 'hi\n' }]);
  expect(json.stdoutOf).toBe(0);
  expect(fromWire(wire)).toEqual(result);
  expect(result).toEqual(expect.objectContaining({
    message: null, stderr: '', deadlock: null, races: [], zombies: [], openFds: [], simTimeMs: 0, trace: null, traceDropped: 0, debugLog: '',
    shmLeaks: { attachedAtExit: [], notRemoved: [] },
  }));
  expect(result.processes).toEqual([{ host: '10.0.0.1', pid: 2, ppid: 1, status: 0, signal: null, stdout: 'hi\n', stderr: '' }]);
  expect('choices' in result).toBe(false);
});

test('the run sends its stdout itself when more than one process wrote it, and names the writer when one did', async () => {
  const both = await runBoth({ programs: [{ module: program("if ((await sys.fork()) !== 0) await sys.wait(); await sys.print(sys.getpid());") }] });
  expect(both.json.stdout).toBe('3\n2\n');
  expect(both.json.stdoutOf).toBeUndefined();
  expect(fromWire(both.wire)).toEqual(both.result);
  const child = await runBoth({ programs: [{ module: program("if ((await sys.fork()) === 0) await sys.print('child'); else await sys.wait();") }] });
  expect(child.json.stdout).toBeUndefined();
  expect(child.json.stdoutOf).toBe(1);
  expect(fromWire(child.wire).stdout).toBe('child\n');
  expect(fromWire(child.wire)).toEqual(child.result);
});

// console.log reaches debugLog only in the sandbox's realm: grader/sandbox.test.ts checks it there.
test('a deadlocked run with output, a zombie, a leaked fd, simulated time, a trace and choices comes back whole', async () => {
  const { wire, result } = await runBoth({
    trace: true,
    recordChoices: true,
    programs: [{
      module: program(`
        const [readEnd] = await sys.pipe();
        if ((await sys.fork()) === 0) throw new Error('child gives up');
        await sys.sleep(5);
        await sys.read(readEnd, 1);
      `),
    }],
  });
  expect(fromWire(wire)).toEqual(result);
  expect(result.status).toBe('deadlock');
  expect(result.message).toMatch(/Deadlock/);
  expect(result.deadlock?.blocked).toHaveLength(1);
  expect(result.stderr).toMatch(/Uncaught child gives up/);
  expect(result.processes[1]).toEqual(expect.objectContaining({ pid: 3, status: 1, stderr: expect.stringMatching(/child gives up/) }));
  expect(result.processes[0]).toEqual(expect.objectContaining({ pid: 2, status: null, signal: null }));
  expect(result.zombies).toEqual([3]);
  expect(result.openFds.length).toBeGreaterThan(0);
  expect(result.simTimeMs).toBe(5);
  expect(result.trace!.length).toBeGreaterThan(0);
  expect(result.choices!.length).toBe(result.steps);
});

test('races, shared memory left behind and a second host come back whole', async () => {
  const { wire, result } = await runBoth({
    hosts: ['10.0.0.2'],
    programs: [
      {
        module: program(`
          const seg = await sys.shmat(await sys.shmget(1, 1));
          const child = await sys.fork();
          await seg.store(0, (await seg.load(0)) + 1);
          if (child !== 0) await sys.wait();
        `),
      },
      { host: '10.0.0.2', module: program('await sys.print(sys.getpid());') },
    ],
  });
  expect(fromWire(wire)).toEqual(result);
  expect(result.races).toHaveLength(1);
  expect(result.shmLeaks.attachedAtExit.length).toBeGreaterThan(0);
  expect(result.shmLeaks.notRemoved).toEqual([expect.objectContaining({ segment: 1, key: 1 })]);
  expect(result.processes.find((report) => report.host === '10.0.0.2')).toEqual(expect.objectContaining({ pid: 2, stdout: '2\n' }));
});

test("exploration's choices cross as columns and come back as the kernel recorded them", async () => {
  const spinAndPipe = program(`
    const seg = await sys.shmat(await sys.shmget(1, 1));
    const [readEnd, writeEnd] = await sys.pipe();
    if ((await sys.fork()) === 0) {
      for (let i = 0; i < 12; i++) await seg.store(0, i);
      await sys.write(writeEnd, 'a message longer than one character');
      return 0;
    }
    while ((await seg.load(0)) < 11) await seg.load(0);
    await sys.read(readEnd, 64);
    await sys.wait();
  `);
  const sizes = new Map<'runnable' | true, { columns: number; objects: number }>();
  for (const recordChoices of ['runnable', true] as const) {
    const kernel = new Kernel({ schedule: 'replay', decisions: [], afterReplay: 'nonpreemptive', recordChoices, programs: [{ module: spinAndPipe }] });
    const { json, result } = await runUntilFinished(kernel, () => ({ json: JSON.stringify(kernel.wireResult()), result: kernel.result() }));
    const recorded = kernel.choices!;
    expect(fromWire(JSON.parse(json) as WireRunResult).choices).toEqual(recorded);
    expect(result.choices).toEqual(recorded);
    expect(recorded.some((choice) => choice.staying !== undefined)).toBe(true);
    expect(recorded.some((choice) => choice.spinning !== undefined)).toBe(true);
    expect(recorded.some((choice) => choice.ioMax !== undefined)).toBe(true);
    expect(recorded.some((choice) => choice.footprints.some((footprint) => footprint.length > 0))).toBe(recordChoices === true);
    sizes.set(recordChoices, { columns: json.length, objects: JSON.stringify({ ...kernel.wireResult(), choices: recorded }).length });
  }
  // Without footprints (what exploration asks for), the columns are a fraction of the objects' JSON.
  expect(sizes.get('runnable')!.columns).toBeLessThan(sizes.get('runnable')!.objects / 2);
});

test('runnable threads recorded from a step on are the full run\'s from that step, I/O bounds included', async () => {
  const writer = program(`
    const [readEnd, writeEnd] = await sys.pipe();
    if ((await sys.fork()) === 0) {
      await sys.write(writeEnd, 'a message longer than one character');
      return 0;
    }
    await sys.read(readEnd, 64);
    await sys.wait();
  `);
  const full = await runBoth({ schedule: 'replay', decisions: [], afterReplay: 'nonpreemptive', recordChoices: 'runnable', programs: [{ module: writer }] });
  const from = full.result.choices!.findIndex((choice) => choice.ioMax !== undefined);
  expect(from).toBeGreaterThan(1);
  const prefix = full.result.decisions.slice(0, from);
  const tail = await runBoth({
    schedule: 'replay', decisions: prefix, afterReplay: 'nonpreemptive', recordChoices: 'runnable', recordChoicesFrom: from, programs: [{ module: writer }],
  });
  expect(tail.result.decisions).toEqual(full.result.decisions);
  expect(tail.result.choices).toEqual(full.result.choices!.slice(from));
  expect(fromWire(tail.wire)).toEqual(tail.result);
});
