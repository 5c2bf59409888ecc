import { moduleFrom, runKernel } from '../test/support/kernel';
import { Kernel } from './kernel';

/** A parent and its child each print once: three threads' worth of scheduling points. */
const forkAndPrint = moduleFrom(`
export default async function main(sys: any) {
  if ((await sys.fork()) === 0) {
    await sys.print('child');
    return 0;
  }
  await sys.print('parent');
  await sys.wait();
}`);

/** Starts a run that pauses before `step` and resolves once it has stopped there (or ended). */
function runUntilPause(step: number, decisions: string[] = []): Promise<Kernel> {
  const kernel = new Kernel({ programs: [{ module: forkAndPrint }], schedule: 'replay', decisions, trace: true, pauseBefore: (next) => next >= step });
  kernel.start();
  return new Promise((resolve) => {
    const watch = (): void => (kernel.paused || kernel.finished ? resolve(kernel) : void setImmediate(watch));
    setImmediate(watch);
  });
}

describe('pauseBefore (the Run panel\'s step mode)', () => {
  it('stops before the first step, offering the only thread and its start', async () => {
    const kernel = await runUntilPause(1);
    expect(kernel.finished).toBe(false);
    expect(kernel.steps).toBe(0);
    expect(kernel.paused?.map((thread) => [thread.key, thread.request?.call])).toEqual([['2:2', 'start']]);
  });

  it('leaves the run open at the scheduling point, every runnable thread with the call it is about to make', async () => {
    const kernel = await runUntilPause(3, ['2:2', '2:2']);
    expect(kernel.steps).toBe(2);
    expect(kernel.paused?.map((thread) => [thread.key, thread.request?.call])).toEqual([['2:2', 'print'], ['3:3', 'fork']]);
    // idle() while paused must not take the waiting thread for a stalled one.
    kernel.idle();
    expect(kernel.finished).toBe(false);
    expect(kernel.threads.every((thread) => !thread.stalled)).toBe(true);
  });

  it('replaying the decisions taken so far, then running on, gives the run that never paused', async () => {
    const decisions = ['2:2', '2:2', '3:3'];
    const paused = await runUntilPause(4, decisions);
    expect(paused.result().decisions).toEqual(decisions);
    const whole = await runKernel({ programs: [{ module: forkAndPrint }], schedule: 'replay', decisions, trace: true });
    expect(whole.trace?.slice(0, 3)).toEqual(paused.result().trace);
    expect(whole.status).toBe('ok');
  });
});
