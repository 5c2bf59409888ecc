import { moduleFrom, runUntilFinished } from '../test/support/kernel';
import { Kernel } from './kernel';
import { RunQueue } from './runqueue';
import type { Thread } from './thread';
import type { RunOptions, RunResult, Strategy } from './types';

/** What RunQueue reads of a thread: its gid and whether it is queued. */
function threadWithGid(gid: number): Thread {
  return { gid, queued: false } as Thread;
}

describe('RunQueue', () => {
  it('keeps its threads in creation order whatever order they become runnable in', () => {
    const queue = new RunQueue();
    const [one, two, three, four] = [1, 2, 3, 4].map(threadWithGid);
    for (const thread of [three, one, four, two]) queue.update(thread, true);
    expect(queue.threads.map((thread) => thread.gid)).toEqual([1, 2, 3, 4]);
    queue.update(two, false);
    queue.update(four, false);
    expect(queue.threads.map((thread) => thread.gid)).toEqual([1, 3]);
    queue.update(four, true);
    queue.update(two, true);
    expect(queue.threads.map((thread) => thread.gid)).toEqual([1, 2, 3, 4]);
  });

  it('holds a thread once however often it is told, and forgets one told to go twice', () => {
    const queue = new RunQueue();
    const [one, two] = [1, 2].map(threadWithGid);
    queue.update(one, true);
    queue.update(one, true);
    queue.update(two, true);
    queue.update(two, false);
    queue.update(two, false);
    expect(queue.threads).toEqual([one]);
    expect([one.queued, two.queued]).toEqual([true, false]);
  });
});

/** Every way a thread starts or stops being runnable: calls, blocking, wakeups, handlers, stop and continue, threads, exec, exit. */
const everyTransition = moduleFrom(`
export default async function main(sys: any) {
  const [holdRead, holdWrite] = await sys.pipe();
  const sleeper = await sys.fork();
  if (sleeper === 0) {
    await sys.close(holdWrite);
    await sys.read(holdRead, 1);
    return 0;
  }
  await sys.close(holdRead);
  const [r, w] = await sys.pipe();
  await sys.signal('SIGUSR1', async () => { await sys.print('handler'); }, { restart: true });
  const child = await sys.fork();
  if (child === 0) {
    const t = await sys.thread(async () => { await sys.write(w, 'from thread;'); await sys.sleep(5); });
    await sys.close(holdWrite);
    await sys.kill(sys.getppid(), 'SIGUSR1');
    await sys.join(t);
    await sys.exec('echo', ['exec', 'ran']);
    return 1;
  }
  await sys.kill(child, 'SIGSTOP');
  await sys.yield();
  await sys.kill(child, 'SIGCONT');
  let text = '';
  while (!text.includes(';')) text += await sys.read(r, 4);
  await sys.print(text);
  await sys.close(w);
  await sys.close(r);
  await sys.close(holdWrite);
  await sys.wait();
  await sys.wait();
}`);

/** The threads `runnable` admits, in creation order: what the queue must hold at every step. */
function filtered(kernel: Kernel): string[] {
  return kernel.threads.filter((thread) => thread.runnable).map((thread) => thread.key);
}

async function queueAtEachStep(schedule: Strategy, seed: number): Promise<{ queued: string[][]; expected: string[][]; result: RunResult }> {
  const queued: string[][] = [];
  const expected: string[][] = [];
  const options: RunOptions = {
    programs: [{ module: everyTransition }], schedule, seed, enable: ['proc', 'fd', 'pipe', 'signal', 'thread', 'time'],
    pauseBefore: () => {
      queued.push(kernel.runQueue.threads.map((thread) => thread.key));
      expected.push(filtered(kernel));
      return false;
    },
  };
  const kernel = new Kernel(options);
  const result = await runUntilFinished(kernel, () => kernel.result());
  return { queued, expected, result };
}

describe('the kernel\'s run queue', () => {
  it.each([['rr', 1], ['random', 1], ['random', 2], ['random', 3], ['pct', 4], ['pct', 5]] as [Strategy, number][])(
    'holds exactly the runnable threads at every step (%s, seed %d)', async (schedule, seed) => {
      const { queued, expected, result } = await queueAtEachStep(schedule, seed);
      expect(result.status).toBe('ok');
      // The run went through every transition: the handler ran, the thread wrote, exec replaced the child.
      expect(result.stdout).toContain('handler');
      expect(result.stdout).toContain('from thread;');
      expect(result.stdout).toContain('exec ran');
      expect(queued.length).toBe(result.steps);
      expect(queued).toEqual(expected);
    });
});
