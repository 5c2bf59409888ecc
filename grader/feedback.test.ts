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
