import { runTest, type RunRequest, type TestDefinition } from './harness';
import { props, situations } from './properties';
import { GradingSession } from './session';

/** Opens a pipe, never closes its write end, and reads: it deadlocks in every run, with its descriptors open. */
const DEADLOCKS_HOLDING_A_PIPE = `
export default async function main(sys) {
  const [readEnd] = await sys.pipe();
  await sys.read(readEnd, 10);
}`;

/** Prints the wrong thing but tidies up: no descriptor left open. */
const WRONG_OUTPUT_TIDY = `
export default async function main(sys) {
  const [readEnd, writeEnd] = await sys.pipe();
  await sys.close(readEnd);
  await sys.close(writeEnd);
  await sys.print('wrong');
}`;

/** The child dies of SIGPIPE, the parent of an uncaught error. */
const DIES_BADLY = `
export default async function main(sys) {
  const [readEnd, writeEnd] = await sys.pipe();
  if ((await sys.fork()) === 0) {
    await sys.close(readEnd);
    await sys.sleep(5);
    await sys.write(writeEnd, 'x');
    return 0;
  }
  await sys.close(readEnd);
  await sys.close(writeEnd);
  await sys.wait();
  throw new Error('something broke');
}`;

async function session(source: string): Promise<GradingSession> {
  const opened = await GradingSession.open([{ source, fileName: 'submission.ts' }]);
  if ('compileError' in opened) throw new Error(opened.compileError);
  return opened;
}

const defaults: RunRequest = { programs: [{}], settings: {} };

function definition(body: TestDefinition['body']): TestDefinition {
  return { name: 'under test', weight: 2, partial: true, requires: [], body };
}

describe('hygiene counts only where the work was done', () => {
  it('a run that deadlocks earns no point for reaping, even with no functional property beside them', async () => {
    const deadlocking = await session(DEADLOCKS_HOLDING_A_PIPE);
    try {
      const outcome = await runTest(definition((t) => t.explore({ runs: 5 }, [props.noZombies()])), false, deadlocking, defaults, 1);
      expect(outcome).toMatchObject({ passed: false, score: 0 });
      expect(outcome.message).toMatch(/^nothing is cleaned up in a run that does not end normally: Deadlock/);
    } finally {
      deadlocking.close();
    }
  });

  it('a tidy run whose output is wrong earns no point for tidiness', async () => {
    const tidy = await session(WRONG_OUTPUT_TIDY);
    try {
      const outcome = await runTest(definition((t) => t.explore({ runs: 5 }, [props.stdoutIs('right\n'), props.noLeakedFds()])), false, tidy, defaults, 1);
      expect(outcome.properties).toEqual([{ name: 'stdout', held: false }, { name: 'no leaked descriptors', held: false }]);
      expect(outcome.score).toBe(0);
    } finally {
      tidy.close();
    }
  });
});

describe('cause-specific feedback', () => {
  let deadlocking: GradingSession;
  beforeAll(async () => {
    deadlocking = await session(DEADLOCKS_HOLDING_A_PIPE);
  });
  afterAll(() => deadlocking.close());

  it('a hint attached to a situation is shown only when the run matches it', async () => {
    const matching = await runTest(definition(async (t) => void await t.run({}, [
      props.finishes({ when: situations.blockedIn('read', 2), hint: 'close the write end you hold' }),
    ])), false, deadlocking, defaults, 1);
    expect(matching.message).toMatch(/^close the write end you hold \(Deadlock/);
    const other = await runTest(definition(async (t) => void await t.run({}, [
      props.finishes({ when: situations.blockedIn('wait', 2), hint: 'read before you wait' }),
    ])), false, deadlocking, defaults, 1);
    expect(other.message).toMatch(/^Deadlock/);
    expect(other.message).not.toMatch(/read before you wait/);
  });

  it('the first diagnosis that matches is shown, before the general hint', async () => {
    const outcome = await runTest(definition(async (t) => void await t.run({}, [
      props.finishes({
        diagnoses: [{ when: situations.killedBy('SIGPIPE'), hint: 'a writer died of SIGPIPE' }, { when: situations.ended('deadlock'), hint: 'everyone waits' }],
        hint: 'general advice',
      }),
    ])), false, deadlocking, defaults, 1);
    expect(outcome.message).toMatch(/^everyone waits \(/);
  });

  it('a failure message names each process that died of a signal or of an uncaught error, with its stderr line', async () => {
    const dying = await session(DIES_BADLY);
    try {
      const outcome = await runTest(definition(async (t) => void await t.run({}, [props.stdoutIs('done\n')])), false, dying, defaults, 1);
      expect(outcome.message).toContain('pid 3 was killed by SIGPIPE');
      expect(outcome.message).toContain('pid 2 ended with "Uncaught something broke" on its stderr (status 1)');
    } finally {
      dying.close();
    }
  });

  it('a missing export is named in the failure message', async () => {
    const missing = await session('export default async function main(sys) { await sys.print("hi"); }');
    try {
      const outcome = await runTest(definition(async (t) => void await t.run({ programs: [{ entry: 'default' }, { entry: 'operator' }] }, [props.stdoutIs('hi\n'), props.exitStatus(0, { pid: 3 })])),
        false, missing, defaults, 1);
      expect(outcome.message).toMatch(/pid 3 ended with "Uncaught the program has no export 'operator' to run"/);
    } finally {
      missing.close();
    }
  });
});

describe('situations name who blocks where, who holds what, and who spun', () => {
  /** A child that exits without being waited for and leaves its pipe ends open; then the parent reads with its write end open. */
  const HOLDS_ITS_OWN_WRITE_END = `
export default async function main(sys) {
  const [readEnd, writeEnd] = await sys.pipe();
  if ((await sys.fork()) === 0) {
    await sys.print('child');
    return 0;
  }
  await sys.read(readEnd, 10);
}`;
  /** Two threads that each spin for ever, and a process that spins alone. */
  const BOTH_SPIN = `
export default async function main(sys) {
  const spin = async () => { for (;;) await sys.yield(); };
  await sys.thread(spin);
  await spin();
}`;
  const ALONE_SPINS = 'export default async function main(sys) { for (;;) await sys.yield(); }';

  const runOnce = async (source: string, settings: RunRequest['settings'] = {}) => {
    const opened = await session(source);
    try {
      const [run] = await opened.runMany([{ programs: [{}], settings }]);
      return run;
    } finally {
      opened.close();
    }
  };

  it('a reader blocked with its own write end open, a child left unreaped with its descriptors open', async () => {
    const run = await runOnce(HOLDS_ITS_OWN_WRITE_END);
    expect(run.status).toBe('deadlock');
    expect(situations.blockedOn('read', /write end is still open in (.*, )?pid 2 \(/, 2)(run)).toBe(true);
    expect(situations.blockedOn('read', /write end is still open in (.*, )?pid 3 \(/)(run)).toBe(false);
    expect(situations.allBlockedIn('read')(run)).toBe(true);
    expect(situations.allBlockedIn('wait')(run)).toBe(false);
    expect(situations.blockedIn('read', 2, run.processes[0].host)(run)).toBe(true);
    expect(situations.blockedIn('read', 2, '10.9.9.9')(run)).toBe(false);
    expect(situations.exited(3)(run)).toBe(true);
    expect(situations.exited(2)(run)).toBe(false);
    expect(situations.zombieOf(2)(run)).toBe(true);
    expect(situations.zombieOf(3)(run)).toBe(false);
    expect(situations.leftOpen(3, /pipe/)(run)).toBe(true);
    expect(situations.leftOpen(2)(run)).toBe(false);
    expect(situations.printed(/^child$/m, 3)(run)).toBe(true);
    expect(situations.printed(/child/, 2)(run)).toBe(false);
    expect(situations.stdoutCutShort('child\nparent\n')(run)).toBe(true);
    expect(situations.stdoutCutShort('child\n')(run)).toBe(false);
    expect(situations.strayLine(['parent'])(run)).toBe(true);
    expect(situations.strayLine(['child', 'parent'])(run)).toBe(false);
  });

  it('a thread that spins alone at the step limit, and not two that take turns', async () => {
    const alone = await runOnce(ALONE_SPINS, { maxSteps: 2000 });
    expect(alone.status).toBe('step-limit');
    expect(situations.spunAlone()(alone)).toBe(true);
    const both = await runOnce(BOTH_SPIN, { maxSteps: 2000 });
    expect(both.status).toBe('step-limit');
    expect(situations.spunAlone()(both)).toBe(false);
  });
});
