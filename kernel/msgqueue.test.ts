import { run } from '../test/support/kernel';

/** Resolves to the error code a call rejects with, or 'ok' (a helper pasted into sources). */
const CODE = `
  async function code(promise) {
    try { await promise; return 'ok'; } catch (e) { return e.code; }
  }`;

describe('msgget', () => {
  test('the same key gives the same queue, and 7 and \'7\' are different keys', async () => {
    const r = await run(`
      export default async function main(sys) {
        const a = await sys.msgget(7);
        const b = await sys.msgget(7);
        const c = await sys.msgget('7');
        await sys.print(a === b, a !== c);
      }`);
    expect(r.stdout).toBe('true true\n');
  });

  test('a parent and its child find one queue by its key', async () => {
    const r = await run(`
      export default async function main(sys) {
        if (await sys.fork() === 0) {
          await sys.msgsnd(await sys.msgget('jobs'), 1, 'from the child');
          return;
        }
        const m = await sys.msgrcv(await sys.msgget('jobs'));
        await sys.print(m.data);
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('from the child\n');
  });

  test('a bad key or capacity rejects with EINVAL', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        await sys.print(await code(sys.msgget({})), await code(sys.msgget(1, { capacity: 0 })), await code(sys.msgget(2, { capacity: 'x' })));
      }`);
    expect(r.stdout).toBe('EINVAL EINVAL EINVAL\n');
  });
});

describe('msgsnd and msgrcv', () => {
  test('type 0 takes messages in the order they were sent, each whole', async () => {
    const r = await run(`
      export default async function main(sys) {
        const q = await sys.msgget(1);
        await sys.msgsnd(q, 3, 'ab');
        await sys.msgsnd(q, 1, { list: [1, 2] });
        await sys.msgsnd(q, 2, 'cd');
        for (let i = 0; i < 3; i++) await sys.print(JSON.stringify(await sys.msgrcv(q, 0)));
      }`);
    expect(r.stdout).toBe('{"type":3,"data":"ab"}\n{"type":1,"data":{"list":[1,2]}}\n{"type":2,"data":"cd"}\n');
  });

  test('a positive type takes the first message of that type', async () => {
    const r = await run(`
      export default async function main(sys) {
        const q = await sys.msgget(1);
        for (const [type, data] of [[1, 'a'], [2, 'b'], [1, 'c'], [2, 'd']]) await sys.msgsnd(q, type, data);
        const got = [];
        got.push((await sys.msgrcv(q, 2)).data, (await sys.msgrcv(q, 2)).data, (await sys.msgrcv(q, 1)).data, (await sys.msgrcv(q)).data);
        await sys.print(got.join(''));
      }`);
    expect(r.stdout).toBe('bdac\n');
  });

  test('a negative type takes the first message of the lowest type up to |type|', async () => {
    const r = await run(`
      export default async function main(sys) {
        const q = await sys.msgget(1);
        for (const [type, data] of [[5, 'five'], [3, 'three'], [2, 'two-a'], [4, 'four'], [2, 'two-b']]) await sys.msgsnd(q, type, data);
        const got = [];
        for (let i = 0; i < 4; i++) got.push((await sys.msgrcv(q, -4)).data);
        got.push((await sys.msgrcv(q, -9)).data);
        await sys.print(got.join(' '));
      }`);
    expect(r.stdout).toBe('two-a two-b three four five\n');
  });

  test('a message is a copy: changing the value after msgsnd does not change what msgrcv gets', async () => {
    const r = await run(`
      export default async function main(sys) {
        const q = await sys.msgget(1);
        const value = { n: 1, list: [1] };
        await sys.msgsnd(q, 1, value);
        value.n = 2;
        value.list.push(2);
        const got = (await sys.msgrcv(q)).data;
        await sys.print(JSON.stringify(got), got !== value);
      }`);
    expect(r.stdout).toBe('{"n":1,"list":[1]} true\n');
  });

  test('msgsnd blocks while the queue holds capacity messages and resumes when one is received', async () => {
    const r = await run(`
      export default async function main(sys) {
        const q = await sys.msgget(1, { capacity: 2 });
        if (await sys.fork() === 0) {
          for (let i = 1; i <= 3; i++) { await sys.msgsnd(q, 1, i); await sys.print('sent', i); }
          return;
        }
        await sys.sleep(10);
        await sys.print('receiving');
        for (let i = 1; i <= 3; i++) await sys.print('got', (await sys.msgrcv(q)).data);
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    const lines = r.stdout.trim().split('\n');
    // The third send waited for the parent's first receive (the parent slept first, so two went in).
    expect(lines.slice(0, 3)).toEqual(['sent 1', 'sent 2', 'receiving']);
    expect(lines.indexOf('sent 3')).toBeGreaterThan(lines.indexOf('receiving'));
  });

  test('the default capacity is the exercise\'s msgqueueCapacity', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const q = await sys.msgget(1);
        let sent = 0;
        while (await code(sys.msgsnd(q, 1, sent, { nowait: true })) === 'ok') sent++;
        await sys.print(sent);
      }`, { msgqueueCapacity: 3 });
    expect(r.stdout).toBe('3\n');
  });

  test('nowait turns a full msgsnd and an empty msgrcv into EAGAIN', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const q = await sys.msgget(1, { capacity: 1 });
        await sys.print(await code(sys.msgrcv(q, 0, { nowait: true })), await code(sys.msgrcv(q, { nowait: true })));
        await sys.msgsnd(q, 1, 'x');
        await sys.print(await code(sys.msgsnd(q, 1, 'y', { nowait: true })), await code(sys.msgrcv(q, 2, { nowait: true })));
      }`);
    expect(r.stdout).toBe('EAGAIN EAGAIN\nEAGAIN EAGAIN\n');
  });

  test('bad arguments reject with EINVAL: unknown qid, type below 1, functions as data', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const q = await sys.msgget(1);
        await sys.print(
          await code(sys.msgsnd(99, 1, 'x')), await code(sys.msgrcv(99)), await code(sys.msgsnd(q, 0, 'x')),
          await code(sys.msgsnd(q, 1.5, 'x')), await code(sys.msgsnd(q, 1, () => 1)), await code(sys.msgsnd(q, 1, { f: Symbol('s') })),
          await code(sys.msgrcv(q, 'one')), await code(sys.msgctl(q, 'IPC_SET')),
        );
      }`);
    expect(r.stdout).toBe('EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL\n');
  });

  test('the calls reject with ENOSYS when the exercise does not enable msgqueue', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) { await sys.print(await code(sys.msgget(1))); }`, { enable: ['proc'] });
    expect(r.stdout).toBe('ENOSYS\n');
  });
});

describe('msgctl IPC_RMID', () => {
  test('removing a queue makes blocked receivers and senders reject with EIDRM', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const empty = await sys.msgget('empty');
        const full = await sys.msgget('full', { capacity: 1 });
        await sys.msgsnd(full, 1, 'x');
        if (await sys.fork() === 0) { await sys.print('receiver', await code(sys.msgrcv(empty))); return; }
        if (await sys.fork() === 0) { await sys.print('sender', await code(sys.msgsnd(full, 1, 'y'))); return; }
        await sys.sleep(10);
        await sys.msgctl(empty, 'IPC_RMID');
        await sys.msgctl(full, 'IPC_RMID');
        await sys.wait();
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout.split('\n').sort().join('\n')).toBe('\nreceiver EIDRM\nsender EIDRM');
  });

  test('a removed queue id rejects later calls with EINVAL, and its key makes a new queue', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const q = await sys.msgget(5);
        await sys.msgsnd(q, 1, 'old');
        await sys.msgctl(q, 'IPC_RMID');
        await sys.print(await code(sys.msgsnd(q, 1, 'x')), await code(sys.msgrcv(q)), await code(sys.msgctl(q, 'IPC_RMID')));
        const again = await sys.msgget(5);
        await sys.print(again !== q, await code(sys.msgrcv(again, 0, { nowait: true })));
      }`);
    expect(r.stdout).toBe('EINVAL EINVAL EINVAL\ntrue EAGAIN\n');
  });

  test('IPC_STAT reports how many messages wait and the capacity', async () => {
    const r = await run(`
      export default async function main(sys) {
        const q = await sys.msgget('k', { capacity: 4 });
        await sys.msgsnd(q, 1, 'a');
        await sys.print(JSON.stringify(await sys.msgctl(q, 'IPC_STAT')));
      }`);
    expect(r.stdout).toBe('{"key":"k","messages":1,"capacity":4}\n');
  });
});

describe('message queues and the run report', () => {
  test('a msgrcv nobody can satisfy is a deadlock that names the queue and the type', async () => {
    const r = await run(`
      export default async function main(sys) {
        const q = await sys.msgget(7);
        await sys.msgsnd(q, 1, 'wrong type');
        await sys.msgrcv(q, 2);
      }`);
    expect(r.status).toBe('deadlock');
    expect(r.message).toContain('message queue 1 (key 7) has no message of type 2 and no process that could send one is running');
  });

  test('a full queue nobody reads is a deadlock that says it is full', async () => {
    const r = await run(`
      export default async function main(sys) {
        const q = await sys.msgget(7, { capacity: 1 });
        await sys.msgsnd(q, 1, 'a');
        await sys.msgsnd(q, 1, 'b');
      }`);
    expect(r.status).toBe('deadlock');
    expect(r.deadlock?.blocked[0].detail).toBe('message queue 1 (key 7) is full (1 of 1 messages) and no process that could receive from it is running');
  });

  test('the trace draws a received message from the sending thread to the receiving thread', async () => {
    const r = await run(`
      export default async function main(sys) {
        const q = await sys.msgget(1);
        if (await sys.fork() === 0) { await sys.msgsnd(q, 4, 'hi'); return; }
        await sys.msgrcv(q);
        await sys.wait();
      }`, { trace: true });
    const arrows = r.trace!.filter((entry) => entry.message).map((entry) => entry.message);
    expect(arrows).toEqual([{ from: '3:3', to: '2:2', channel: 'message queue 1', data: 'hi' }]);
  });

  test('a message orders what the sender did before it with what the receiver does after it (no data race)', async () => {
    const source = (synchronise: boolean) => `
      export default async function main(sys) {
        const q = await sys.msgget(1);
        const seg = await sys.shmat(await sys.shmget(1, 1));
        if (await sys.fork() === 0) {
          await seg.store(0, 42);
          ${synchronise ? 'await sys.msgsnd(q, 1, "ready");' : ''}
          return;
        }
        ${synchronise ? 'await sys.msgrcv(q);' : 'await sys.sleep(10);'}
        await sys.print(await seg.load(0));
        await sys.wait();
      }`;
    const ordered = await run(source(true));
    expect(ordered.stdout).toBe('42\n');
    expect(ordered.races).toEqual([]);
    const unordered = await run(source(false));
    expect(unordered.races.length).toBeGreaterThan(0);
  });
});
