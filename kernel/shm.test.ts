import { moduleFrom, run, runKernel, runUntilFinished } from '../test/support/kernel';
import { VectorClock } from './hb';
import { Kernel } from './kernel';
import type { RunOptions, RunResult } from './types';

/** Student-side helper prepended to programs: the errno a call fails with, or 'ok'. */
const CODE_OF = `
async function codeOf(p) {
  try { await p; return 'ok'; } catch (e) { return e.code; }
}
`;

function program(body: string): string {
  return `${CODE_OF}\nexport default async function main(sys) {\n${body}\n}`;
}

async function ok(body: string, options: Parameters<typeof run>[1] = {}): Promise<RunResult> {
  const result = await run(program(body), options);
  expect(result.message).toBeNull();
  expect(result.status).toBe('ok');
  expect(result.stderr).toBe('');
  return result;
}

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

async function racesOver(source: string, seeds = SEEDS): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const seed of seeds) {
    const result = await run(program(source), { schedule: 'random', seed });
    expect(result.status).toBe('ok');
    expect(result.stderr).toBe('');
    results.push(result);
  }
  return results;
}

describe('shmget', () => {
  it('gives the same shmid for the same key, and a different one for 7 and "7"', async () => {
    const { stdout } = await ok(`
      const a = await sys.shmget(7, 4);
      const b = await sys.shmget(7, 4);
      const c = await sys.shmget('7', 4);
      await sys.print(a === b, a !== c, typeof a);
    `);
    expect(stdout).toBe('true true number\n');
  });

  it('creates a segment of size cells, all 0', async () => {
    const { stdout } = await ok(`
      const seg = await sys.shmat(await sys.shmget('zeros', 3));
      await sys.print(seg.size, await seg.load(0), await seg.load(1), await seg.load(2));
    `);
    expect(stdout).toBe('3 0 0 0\n');
  });

  it('rejects a bad size for a new segment with EINVAL', async () => {
    const { stdout } = await ok(`
      const codes = [];
      for (const size of [0, -1, 1.5, '4', undefined, 2 ** 21]) codes.push(await codeOf(sys.shmget('k' + codes.length, size)));
      await sys.print(codes.join(' '));
    `);
    expect(stdout).toBe('EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL\n');
  });

  it('rejects a larger size than the existing segment has with EINVAL, like Linux, and accepts a smaller one', async () => {
    const { stdout } = await ok(`
      const id = await sys.shmget(1, 4);
      await sys.print(await codeOf(sys.shmget(1, 5)), await sys.shmget(1, 2) === id, await sys.shmget(1, 0) === id);
    `);
    expect(stdout).toBe('EINVAL true true\n');
  });

  it('rejects a key that is neither a number nor a string with EINVAL', async () => {
    const { stdout } = await ok(`
      await sys.print(await codeOf(sys.shmget({}, 1)), await codeOf(sys.shmget(null, 1)), await codeOf(sys.shmget(NaN, 1)));
    `);
    expect(stdout).toBe('EINVAL EINVAL EINVAL\n');
  });

  it('is ENOSYS when the exercise does not enable shm', async () => {
    const { stdout } = await ok(`
      await sys.print(await codeOf(sys.shmget(1, 1)));
    `, { enable: ['proc'] });
    expect(stdout).toBe('ENOSYS\n');
  });
});

describe('shmat and the segment object', () => {
  it('rejects an unknown shmid with EINVAL', async () => {
    const { stdout } = await ok(`
      await sys.print(await codeOf(sys.shmat(999)), await codeOf(sys.shmat('1')));
    `);
    expect(stdout).toBe('EINVAL EINVAL\n');
  });

  it('is frozen and shows only shmid, size and its four methods', async () => {
    const { stdout } = await ok(`
      const id = await sys.shmget(1, 2);
      const seg = await sys.shmat(id);
      const names = Object.getOwnPropertyNames(seg).sort().join(',');
      let assigned = true;
      try { seg.load = () => 42; seg.extra = 1; } catch { assigned = false; }
      const methods = ['load', 'store', 'compareExchange', 'add'];
      const methodsClean = methods.every((m) => Object.isFrozen(seg[m]) && !('prototype' in seg[m])
        && Object.getPrototypeOf(seg[m]) === Function.prototype
        && Object.getOwnPropertyNames(seg[m]).every((p) => p === 'length' || p === 'name'));
      await sys.print(Object.isFrozen(seg), names, assigned && seg.extra === 1, methodsClean,
        Object.getPrototypeOf(seg) === Object.prototype, seg.shmid === id, JSON.stringify(seg));
    `);
    expect(stdout).toBe(`true add,compareExchange,load,shmid,size,store false true true true {"shmid":1,"size":2}\n`);
  });

  it('refuses a copy or an imitation of a segment with EINVAL, and offers no way around its methods', async () => {
    const { stdout } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 2));
      const copy = { ...seg };
      const child = Object.create(seg);
      await sys.print(await codeOf(sys.shmdt(copy)), await codeOf(sys.shmdt(child)), await codeOf(sys.shmdt({ shmid: 1 })),
        Object.keys(sys).filter((name) => name.startsWith('shm_')).length);
    `);
    expect(stdout).toBe('EINVAL EINVAL EINVAL 0\n');
  });

  it('keeps what is stored, and its methods work when taken off the object', async () => {
    const { stdout } = await ok(`
      const { load, store } = await sys.shmat(await sys.shmget(1, 2));
      await store(1, -2.5);
      await sys.print(await load(0), await load(1));
    `);
    expect(stdout).toBe('0 -2.5\n');
  });

  it('rejects an index out of range, or not an integer, with EINVAL', async () => {
    const { stdout } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 2));
      const codes = [];
      for (const i of [-1, 2, 0.5, '0', undefined]) {
        codes.push(await codeOf(seg.load(i)), await codeOf(seg.store(i, 1)), await codeOf(seg.compareExchange(i, 0, 1)), await codeOf(seg.add(i, 1)));
      }
      await sys.print(new Set(codes).size === 1 ? codes[0] : codes.join(' '), codes.length);
    `);
    expect(stdout).toBe('EINVAL 20\n');
  });

  it('rejects a value that is not a number with EINVAL and leaves the cell as it was', async () => {
    const { stdout } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      await seg.store(0, 3);
      const codes = [await codeOf(seg.store(0, '4')), await codeOf(seg.store(0)), await codeOf(seg.add(0, null)),
        await codeOf(seg.compareExchange(0, '3', 5)), await codeOf(seg.compareExchange(0, 3, {}))];
      await sys.print(codes.join(' '), await seg.load(0));
    `);
    expect(stdout).toBe('EINVAL EINVAL EINVAL EINVAL EINVAL 3\n');
  });

  it('makes every method a scheduling point of its own', async () => {
    const { trace } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      await seg.store(0, 1);
      await seg.load(0);
      await seg.compareExchange(0, 1, 2);
      await seg.add(0, 1);
    `, { trace: true });
    expect(trace!.map((entry) => entry.call)).toEqual(['start', 'shmget', 'shmat', 'shm_store', 'shm_load', 'shm_compareExchange', 'shm_add']);
  });
});

describe('sharing between processes', () => {
  it('a forked child sees what the parent stored, and the parent sees what the child stored', async () => {
    const { stdout } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 2));
      await seg.store(0, 41);
      if (await sys.fork() === 0) {
        await seg.store(1, (await seg.load(0)) + 1);
        return 0;
      }
      await sys.wait();
      await sys.print(await seg.load(1));
    `);
    expect(stdout).toBe('42\n');
  });

  it('processes that shmget the same key and attach share the cells', async () => {
    const { stdout } = await ok(`
      if (await sys.fork() === 0) {
        const seg = await sys.shmat(await sys.shmget('shared', 1));
        await seg.store(0, 7);
        return 0;
      }
      await sys.wait();
      const seg = await sys.shmat(await sys.shmget('shared', 1));
      await sys.print(await seg.load(0));
    `);
    expect(stdout).toBe('7\n');
  });

  it('a forked child inherits the attachment: it counts in nattch until the child detaches or exits', async () => {
    const { stdout } = await ok(`
      const id = await sys.shmget(1, 1);
      const seg = await sys.shmat(id);
      const gate = await sys.sem_init(0);
      const back = await sys.sem_init(0);
      const counts = [(await sys.shmctl(id, 'IPC_STAT')).nattch];
      const child = await sys.fork();
      if (child === 0) {
        await sys.sem_wait(gate);
        await sys.shmdt(seg);
        await sys.sem_post(back);
        await sys.sem_wait(gate);
        return 0;
      }
      counts.push((await sys.shmctl(id, 'IPC_STAT')).nattch);
      await sys.sem_post(gate);
      await sys.sem_wait(back);
      counts.push((await sys.shmctl(id, 'IPC_STAT')).nattch);
      await sys.sem_post(gate);
      await sys.wait();
      if (await sys.fork() === 0) return 0;
      await sys.wait();
      counts.push((await sys.shmctl(id, 'IPC_STAT')).nattch);
      await sys.print(counts.join(' '), await seg.load(0));
    `);
    expect(stdout).toBe('1 2 1 1 0\n');
  });

  it('a child detaching its inherited segment leaves the parent attached', async () => {
    const { stdout } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      if (await sys.fork() === 0) {
        await sys.shmdt(seg);
        await sys.print('child', await codeOf(seg.load(0)));
        return 0;
      }
      await sys.wait();
      await seg.store(0, 5);
      await sys.print('parent', await seg.load(0));
    `);
    expect(stdout).toBe('child EINVAL\nparent 5\n');
  });

  it('a segment object sent to an unrelated process does not work there until that process attaches it', async () => {
    const sender = `export default async function main(sys) {
      const seg = await sys.shmat(await sys.shmget('k', 1));
      await seg.store(0, 12);
      await sys.msgsnd(await sys.msgget('q'), 1, seg);
      await sys.sem_wait(await sys.sem_open('done', 0));
    }`;
    const receiver = `${CODE_OF}\nexport default async function main(sys) {
      const { data: seg } = await sys.msgrcv(await sys.msgget('q'));
      const before = await codeOf(seg.load(0));
      const mine = await sys.shmat(seg.shmid);
      await sys.print(before, mine === seg, await seg.load(0));
      await sys.sem_post(await sys.sem_open('done', 0));
    }`;
    const result = await runKernel({ programs: [{ module: moduleFrom(sender) }, { module: moduleFrom(receiver) }] });
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('EINVAL true 12\n');
    expect(result.races).toEqual([]);
  });

  it('a grandchild inherits the attachments its parent inherited', async () => {
    const { stdout } = await ok(`
      const id = await sys.shmget(1, 1);
      const seg = await sys.shmat(id);
      if (await sys.fork() === 0) {
        if (await sys.fork() === 0) {
          await seg.store(0, 3);
          await sys.print((await sys.shmctl(id, 'IPC_STAT')).nattch);
          return 0;
        }
        await sys.wait();
        return 0;
      }
      await sys.wait();
      await sys.print(await seg.load(0));
    `);
    expect(stdout).toBe('3\n3\n');
  });
});

describe('shmdt and IPC_RMID', () => {
  it('after shmdt the segment object fails with EINVAL, and a second shmdt too', async () => {
    const { stdout } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      await seg.store(0, 9);
      await sys.shmdt(seg);
      await sys.print(await codeOf(seg.load(0)), await codeOf(seg.store(0, 1)), await codeOf(seg.add(0, 1)),
        await codeOf(seg.compareExchange(0, 9, 1)), await codeOf(sys.shmdt(seg)));
    `);
    expect(stdout).toBe('EINVAL EINVAL EINVAL EINVAL EINVAL\n');
  });

  it('a segment attached twice stays usable until it is detached twice', async () => {
    const { stdout } = await ok(`
      const id = await sys.shmget(1, 1);
      const seg = await sys.shmat(id);
      const again = await sys.shmat(id);
      await sys.shmdt(seg);
      await again.store(0, 9);
      const loaded = await seg.load(0);
      await sys.shmdt(again);
      await sys.print(seg === again, loaded, await codeOf(seg.load(0)), (await sys.shmctl(id, 'IPC_STAT')).nattch);
    `);
    expect(stdout).toBe('true 9 EINVAL 0\n');
  });

  it('IPC_RMID frees the key at once while attached processes keep using the memory', async () => {
    const { stdout } = await ok(`
      const id = await sys.shmget('k', 2);
      const seg = await sys.shmat(id);
      await seg.store(0, 5);
      await sys.shmctl(id, 'IPC_RMID');
      const fresh = await sys.shmget('k', 4);
      const again = await sys.shmat(fresh);
      await seg.add(0, 1);
      await sys.print(fresh !== id, await seg.load(0), await again.load(0), again.size);
    `);
    expect(stdout).toBe('true 6 0 4\n');
  });

  it('a removed segment cannot be attached or controlled again: EIDRM', async () => {
    const { stdout } = await ok(`
      const id = await sys.shmget('k', 1);
      const seg = await sys.shmat(id);
      await sys.shmctl(id, 'IPC_RMID');
      await sys.print(await codeOf(sys.shmat(id)), await codeOf(sys.shmctl(id, 'IPC_RMID')), await codeOf(sys.shmctl(id, 'IPC_STAT')));
      await sys.shmdt(seg);
      await sys.print(await codeOf(sys.shmat(id)));
    `);
    expect(stdout).toBe('EIDRM EIDRM EIDRM\nEIDRM\n');
  });

  it('a removed segment stays usable by a child that still has it attached', async () => {
    const { stdout } = await ok(`
      const id = await sys.shmget('k', 1);
      const seg = await sys.shmat(id);
      const go = await sys.sem_init(0);
      if (await sys.fork() === 0) {
        await sys.sem_wait(go);
        await seg.add(0, 10);
        await sys.print('child', await seg.load(0));
        return 0;
      }
      await sys.shmctl(id, 'IPC_RMID');
      await sys.shmdt(seg);
      await sys.sem_post(go);
      await sys.wait();
    `);
    expect(stdout).toBe('child 10\n');
  });

  it('shmctl rejects an unknown shmid and an unknown command with EINVAL', async () => {
    const { stdout } = await ok(`
      const id = await sys.shmget(1, 1);
      await sys.print(await codeOf(sys.shmctl(999, 'IPC_RMID')), await codeOf(sys.shmctl(id, 'IPC_SET')), await codeOf(sys.shmctl(id)));
    `);
    expect(stdout).toBe('EINVAL EINVAL EINVAL\n');
  });

  it('IPC_STAT tells the key, the size and how many attachments there are', async () => {
    const { stdout } = await ok(`
      const id = await sys.shmget('k', 3);
      await sys.shmat(id);
      await sys.shmat(id);
      await sys.print(JSON.stringify(await sys.shmctl(id, 'IPC_STAT')));
    `);
    expect(stdout).toBe('{"key":"k","size":3,"nattch":2}\n');
  });
});

describe('shared memory left behind', () => {
  it('reports a segment a process still had attached when it exited, and one nobody removed', async () => {
    const result = await run(`
      export default async function main(sys) {
        const kept = await sys.shmat(await sys.shmget('kept', 1));
        const tidy = await sys.shmget('tidy', 1);
        const view = await sys.shmat(tidy);
        await sys.shmdt(view);
        await sys.shmctl(tidy, 'IPC_RMID');
        void kept;
      }`);
    expect(result.shmLeaks).toEqual({ attachedAtExit: [{ pid: 2, segment: 1 }], notRemoved: [{ segment: 1, key: 'kept' }] });
  });

  it('a process killed by a signal is not blamed for its attachments', async () => {
    const result = await run(`
      export default async function main(sys) {
        const id = await sys.shmget(5, 1);
        const pid = await sys.fork();
        if (pid === 0) { await sys.shmat(id); await sys.pause(); }
        while ((await sys.shmctl(id, 'IPC_STAT')).nattch < 1) await sys.yield();
        await sys.kill(pid, 'SIGKILL');
        await sys.wait();
        await sys.shmctl(id, 'IPC_RMID');
      }`);
    expect(result.shmLeaks).toEqual({ attachedAtExit: [], notRemoved: [] });
  });
});

describe('atomic operations', () => {
  it('add and compareExchange resolve to the old value; compareExchange writes only on a match', async () => {
    const { stdout } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      const a = await seg.add(0, 5);
      const b = await seg.compareExchange(0, 4, 100);
      const c = await seg.load(0);
      const d = await seg.compareExchange(0, 5, 100);
      const e = await seg.add(0, -1);
      await sys.print(a, b, c, d, e, await seg.load(0));
    `);
    expect(stdout).toBe('0 5 5 5 100 99\n');
  });

  it('concurrent adds from several processes lose no update and race with nobody', async () => {
    const results = await racesOver(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      for (let p = 0; p < 3; p++) {
        if (await sys.fork() === 0) {
          for (let i = 0; i < 10; i++) await seg.add(0, 1);
          return 0;
        }
      }
      for (let p = 0; p < 3; p++) await sys.wait();
      await sys.print(await seg.load(0));
    `, SEEDS.slice(0, 10));
    for (const result of results) {
      expect(result.stdout).toBe('30\n');
      expect(result.races).toEqual([]);
    }
  });
});

describe('data races', () => {
  const RACY_COUNTER = `
    const seg = await sys.shmat(await sys.shmget(1, 1));
    const child = await sys.fork();
    const v = await seg.load(0);
    await seg.store(0, v + 1);
    if (child === 0) return 0;
    await sys.wait();
  `;

  it('a shared counter updated by load then store in two processes is reported, naming both sides', async () => {
    const { races, trace } = await ok(RACY_COUNTER, { trace: true });
    expect(races).toHaveLength(1);
    const [race] = races;
    expect(race.segment).toBe(1);
    expect(race.index).toBe(0);
    expect(race.accesses).toHaveLength(2);
    expect(new Set(race.accesses.map((a) => a.pid))).toEqual(new Set([2, 3]));
    expect(race.accesses.some((a) => a.op === 'store')).toBe(true);
    for (const access of race.accesses) {
      expect(access.tid).toBe(access.pid);
      expect(['load', 'store']).toContain(access.op);
      const step = trace!.find((entry) => entry.step === access.step)!;
      expect(step.call).toBe(`shm_${access.op}`);
      expect(step.thread).toBe(`${access.pid}:${access.tid}`);
    }
  });

  it('the racy counter is reported under every random schedule, once per cell', async () => {
    for (const result of await racesOver(RACY_COUNTER, SEEDS.slice(0, 10))) expect(result.races).toHaveLength(1);
  });

  it('the same counter behind a named semaphore is never reported', async () => {
    const results = await racesOver(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      const mutex = await sys.sem_open('counter', 1);
      const child = await sys.fork();
      for (let i = 0; i < 3; i++) {
        await sys.sem_wait(mutex);
        const v = await seg.load(0);
        await seg.store(0, v + 1);
        await sys.sem_post(mutex);
      }
      if (child === 0) return 0;
      await sys.wait();
      await sys.print(await seg.load(0));
    `);
    for (const result of results) {
      expect(result.races).toEqual([]);
      expect(result.stdout).toBe('6\n');
    }
  });

  it('the same counter behind a semaphore made with sem_init before fork is never reported', async () => {
    const results = await racesOver(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      const mutex = await sys.sem_init(1);
      for (let p = 0; p < 2; p++) {
        if (await sys.fork() === 0) {
          for (let i = 0; i < 3; i++) {
            await sys.sem_wait(mutex);
            await seg.store(0, (await seg.load(0)) + 1);
            await sys.sem_post(mutex);
          }
          return 0;
        }
      }
      await sys.wait();
      await sys.wait();
      await sys.print(await seg.load(0));
    `);
    for (const result of results) {
      expect(result.races).toEqual([]);
      expect(result.stdout).toBe('6\n');
    }
  });

  it('a spin lock built from compareExchange alone is race-free and orders the plain accesses it guards', async () => {
    const results = await racesOver(`
      const LOCK = 0, COUNT = 1;
      const seg = await sys.shmat(await sys.shmget(1, 2));
      for (let p = 0; p < 2; p++) {
        if (await sys.fork() === 0) {
          for (let i = 0; i < 3; i++) {
            while (await seg.compareExchange(LOCK, 0, 1) !== 0) await sys.yield();
            await seg.store(COUNT, (await seg.load(COUNT)) + 1);
            await seg.compareExchange(LOCK, 1, 0);
          }
          return 0;
        }
      }
      await sys.wait();
      await sys.wait();
      await sys.print(await seg.load(COUNT));
    `);
    for (const result of results) {
      expect(result.races).toEqual([]);
      expect(result.stdout).toBe('6\n');
    }
  });

  it('a plain store unordered with an atomic add on the same cell is reported', async () => {
    for (const result of await racesOver(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      if (await sys.fork() === 0) {
        await seg.add(0, 1);
        return 0;
      }
      await seg.store(0, 5);
      await sys.wait();
    `, SEEDS.slice(0, 10))) {
      expect(result.races).toHaveLength(1);
      expect(result.races[0].accesses.map((a) => a.op).sort()).toEqual(['add', 'store']);
    }
  });

  it('a plain load unordered with an atomic add on the same cell is reported', async () => {
    const { races } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      if (await sys.fork() === 0) {
        await seg.load(0);
        return 0;
      }
      await seg.add(0, 1);
      await sys.wait();
    `);
    expect(races.map((race) => race.accesses.map((a) => a.op).sort())).toEqual([['add', 'load']]);
  });

  it('a store unordered with several kept loads names the oldest, once a process\'s later load replaced its earlier one', async () => {
    const { races, trace } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      for (let c = 0; c < 3; c++) {
        if (await sys.fork() === 0) {
          await seg.load(0);
          if (c === 0) {
            await sys.sleep(1);
            await seg.load(0);
          }
          return 0;
        }
      }
      await sys.sleep(10);
      await seg.store(0, 1);
      for (let c = 0; c < 3; c++) await sys.wait();
    `, { trace: true });
    const loads = trace!.filter((entry) => entry.call === 'shm_load').map((entry) => `${entry.thread} ${entry.step}`);
    // pid 3 loads, then 4 and 5, then 3 again: its second load replaces its first, so pid 4's is the oldest kept.
    expect(loads.map((load) => load.split(' ')[0])).toEqual(['3:3', '4:4', '5:5', '3:3']);
    const store = trace!.find((entry) => entry.call === 'shm_store')!;
    expect(races).toEqual([{ segment: 1, index: 0, accesses: [
      { pid: 4, tid: 4, op: 'load', step: Number(loads[1].split(' ')[1]) },
      { pid: 2, tid: 2, op: 'store', step: store.step },
    ] }]);
  });

  it('loads alone never race', async () => {
    const { races } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      const child = await sys.fork();
      await seg.load(0);
      await seg.load(0);
      if (child !== 0) await sys.wait();
    `);
    expect(races).toEqual([]);
  });

  it('a store before fork is seen by the child without a race', async () => {
    for (const result of await racesOver(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      await seg.store(0, 1);
      if (await sys.fork() === 0) {
        await sys.print(await seg.load(0));
        return 0;
      }
      await sys.wait();
    `, SEEDS.slice(0, 10))) {
      expect(result.races).toEqual([]);
      expect(result.stdout).toBe('1\n');
    }
  });

  it('a parent storing after fork while the child loads is a race', async () => {
    for (const result of await racesOver(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      if (await sys.fork() === 0) {
        await seg.load(0);
        return 0;
      }
      await seg.store(0, 1);
      await sys.wait();
    `, SEEDS.slice(0, 10))) {
      expect(result.races).toHaveLength(1);
      expect(result.races[0].accesses.map((a) => `${a.pid} ${a.op}`).sort()).toEqual(['2 store', '3 load']);
    }
  });

  it('a parent that waits for its child then loads what the child stored is not racing', async () => {
    for (const result of await racesOver(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      if (await sys.fork() === 0) {
        await seg.store(0, 8);
        return 0;
      }
      await sys.wait();
      await seg.store(0, (await seg.load(0)) + 1);
      await sys.print(await seg.load(0));
    `, SEEDS.slice(0, 10))) {
      expect(result.races).toEqual([]);
      expect(result.stdout).toBe('9\n');
    }
  });

  it('what a child\'s second thread stored before it called exit is ordered before the parent\'s wait', async () => {
    const { races, stdout } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      if (await sys.fork() === 0) {
        await sys.thread(async () => {
          await seg.store(0, 4);
          await sys.exit(0);
        });
        await sys.pause();
      }
      await sys.wait();
      await sys.print(await seg.load(0));
    `);
    expect(races).toEqual([]);
    expect(stdout).toBe('4\n');
  });

  it('a SIGCHLD handler loading what the exited child stored is not racing', async () => {
    const { races, stdout } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      let seen = null;
      await sys.signal('SIGCHLD', async () => { seen = await seg.load(0); });
      if (await sys.fork() === 0) {
        await seg.store(0, 6);
        return 0;
      }
      while (seen === null) await sys.yield();
      await sys.print(seen);
      await sys.wait();
    `);
    expect(races).toEqual([]);
    expect(stdout).toBe('6\n');
  });

  it('threads: a store before join is ordered for the joiner, one without join is a race', async () => {
    const { races } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 2));
      const joined = await sys.thread(async () => { await seg.store(0, 1); });
      await sys.join(joined);
      await seg.load(0);
      await sys.thread(async () => { await seg.store(1, 1); });
      await seg.load(1);
      await sys.yield();
      await sys.yield();
    `);
    expect(races.map((race) => race.index)).toEqual([1]);
    expect(races[0].accesses.map((a) => a.tid)).toHaveLength(2);
    expect(new Set(races[0].accesses.map((a) => a.tid)).size).toBe(2);
  });

  it('a mutex orders the threads that take it', async () => {
    for (const result of await racesOver(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      const m = await sys.mutex_init();
      const body = async () => {
        for (let i = 0; i < 3; i++) {
          await sys.mutex_lock(m);
          await seg.store(0, (await seg.load(0)) + 1);
          await sys.mutex_unlock(m);
        }
      };
      const a = await sys.thread(body);
      const b = await sys.thread(body);
      await sys.join(a);
      await sys.join(b);
      await sys.print(await seg.load(0));
    `, SEEDS.slice(0, 10))) {
      expect(result.races).toEqual([]);
      expect(result.stdout).toBe('6\n');
    }
  });

  it('a pipe orders a store before the write with a load after the read', async () => {
    for (const result of await racesOver(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      const [r, w] = await sys.pipe();
      if (await sys.fork() === 0) {
        await seg.store(0, 3);
        await sys.write(w, 'x');
        return 0;
      }
      await sys.read(r, 1);
      await sys.print(await seg.load(0));
      await sys.wait();
    `, SEEDS.slice(0, 10))) {
      expect(result.races).toEqual([]);
      expect(result.stdout).toBe('3\n');
    }
  });

  it('a pipe orders what a writer did before closing with a read that sees end of file', async () => {
    for (const result of await racesOver(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      const [r, w] = await sys.pipe();
      if (await sys.fork() === 0) {
        await sys.close(r);
        await seg.store(0, 5);
        await sys.close(w);
        return 0;
      }
      await sys.close(w);
      while ((await sys.read(r, 1)) !== '') {}
      await sys.print(await seg.load(0));
      await sys.wait();
    `, SEEDS.slice(0, 10))) {
      expect(result.races).toEqual([]);
      expect(result.stdout).toBe('5\n');
    }
  });

  it('end of file caused by a writer exiting orders what it did before', async () => {
    for (const result of await racesOver(`
      const seg = await sys.shmat(await sys.shmget(1, 1));
      const [r, w] = await sys.pipe();
      if (await sys.fork() === 0) {
        await sys.close(r);
        await seg.store(0, 6);
        return 0;
      }
      await sys.close(w);
      while ((await sys.read(r, 1)) !== '') {}
      await sys.print(await seg.load(0));
      await sys.wait();
    `, SEEDS.slice(0, 10))) {
      expect(result.races).toEqual([]);
      expect(result.stdout).toBe('6\n');
    }
  });

  it('reports each racing cell once, however often it races', async () => {
    const { races } = await ok(`
      const seg = await sys.shmat(await sys.shmget(1, 2));
      const child = await sys.fork();
      for (let i = 0; i < 5; i++) {
        await seg.store(0, i);
        await seg.store(1, i);
      }
      if (child !== 0) await sys.wait();
    `);
    expect(races.map((race) => race.index).sort()).toEqual([0, 1]);
  });

  it('records nothing when race detection is off', async () => {
    const { races } = await ok(RACY_COUNTER, { detectRaces: false });
    expect(races).toEqual([]);
  });

  /** Whether the run's threads carried clocks that learn, looked at before every step. */
  async function threadsKeepClocks(options: Omit<RunOptions, 'programs'>): Promise<boolean[]> {
    const seen = new Set<boolean>();
    const kernel = new Kernel({
      ...options,
      programs: [{ module: moduleFrom(program(`
        const [r, w] = await sys.pipe();
        if ((await sys.fork()) === 0) { await sys.write(w, 'x'); return 0; }
        await sys.read(r, 1);
        await sys.wait();
      `)) }],
      pauseBefore: () => {
        for (const thread of kernel.threads) seen.add(thread.clock !== VectorClock.INERT);
        return false;
      },
    });
    const result = await runUntilFinished(kernel, () => kernel.result());
    expect(result.status).toBe('ok');
    return [...seen];
  }

  it('keeps happens-before clocks only where a race can be reported: shared memory enabled and detection on', async () => {
    expect(await threadsKeepClocks({})).toEqual([true]);
    expect(await threadsKeepClocks({ detectRaces: false })).toEqual([false]);
    expect(await threadsKeepClocks({ enable: ['proc', 'fd', 'pipe'] })).toEqual([false]);
  });
});
