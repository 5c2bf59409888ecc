import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunRequest } from '../../grader/harness';
import { startBrowserKernel, type BrowserKernel } from '../../test/support/browser-kernel';
import type { BrowserRunRequest } from './browser-kernel';

/** Step mode as the Run panel asks for it, on the browser bundle: replay the decisions, then stop where `until` says. */
const EXERCISES = path.join(__dirname, '..', '..', 'exercises');
const source = (file: string) => readFileSync(path.join(EXERCISES, file), 'utf8');

let kernel: BrowserKernel;

beforeAll(() => {
  kernel = startBrowserKernel();
});

afterAll(async () => {
  await kernel.close();
});

function stepRequest(file: string, argv: string[], groups: RunRequest['settings']['enable'], decisions: string[], until: BrowserRunRequest['until']): BrowserRunRequest {
  return {
    source: source(file), fileName: 'solution.ts', cpuMs: 2000, until,
    run: { programs: [{ argv }], settings: { enable: groups, trace: true, schedule: 'replay', decisions } },
  };
}

async function step(request: BrowserRunRequest) {
  const [reply] = await kernel.run([request]);
  return reply;
}

describe('step mode in the browser bundle', () => {
  it('stops at every scheduling point after the decisions, offering each runnable thread and its next call', async () => {
    const first = await step(stepRequest('pipe-message/wrong/parent-keeps-write-end.ts', ['hello'], ['proc', 'fd', 'pipe'], [], 'next'));
    expect(first.paused).toEqual([{ thread: '2:2', call: 'start', args: [] }]);
    const afterFork = await step(stepRequest('pipe-message/wrong/parent-keeps-write-end.ts', ['hello'], ['proc', 'fd', 'pipe'], ['2:2', '2:2', '2:2'], 'next'));
    expect(afterFork.result.decisions).toEqual(['2:2', '2:2', '2:2']);
    expect(afterFork.paused?.map(({ thread, call }) => [thread, call])).toEqual([['2:2', 'read'], ['3:3', 'fork']]);
  });

  it('runs on to the next call that blocks, and stops just after it', async () => {
    const reply = await step(stepRequest('pipe-message/wrong/parent-keeps-write-end.ts', ['hello'], ['proc', 'fd', 'pipe'], ['2:2'], 'block'));
    const last = reply.result.trace?.at(-1);
    expect(reply.paused).not.toBeNull();
    expect(last).toMatchObject({ thread: '2:2', call: 'read', blocked: expect.stringContaining('the pipe is empty') });
  });

  it('runs on to the next data race, and stops just after the access that makes it', async () => {
    const reply = await step(stepRequest('peterson/wrong/turn-before-flag.ts', ['1', '1'], ['proc', 'shm'], [], 'finding'));
    expect(reply.paused).not.toBeNull();
    expect(reply.result.races).toHaveLength(1);
    expect(reply.result.races[0].accesses.at(-1)?.step).toBe(reply.result.steps);
  });

  it('runs to the end with round robin past the decisions, as a replay does', async () => {
    const reply = await step(stepRequest('pipe-message/wrong/parent-keeps-write-end.ts', ['hello'], ['proc', 'fd', 'pipe'], ['2:2'], 'end'));
    expect(reply.paused).toBeNull();
    expect(reply.result.status).toBe('deadlock');
  });
});
