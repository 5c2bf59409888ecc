import { run, type ProgramOptions } from '../test/support/kernel';
import type { RunResult, TraceEntry } from './types';

/** Resolves to the error code a call rejects with, or 'ok' (a helper pasted into sources). */
const CODE = `
  async function code(promise) {
    try { await promise; return 'ok'; } catch (e) { return e.code; }
  }`;

/** Runs `source` under round robin and under random and PCT schedules with several seeds. */
async function everySchedule(source: string, options: ProgramOptions = {}): Promise<RunResult[]> {
  const results = [await run(source, { ...options, schedule: 'rr' })];
  for (let seed = 1; seed <= 15; seed++) {
    results.push(await run(source, { ...options, schedule: 'random', seed }));
    results.push(await run(source, { ...options, schedule: 'pct', seed }));
  }
  return results;
}

/** Index in the trace of the step where `thread`'s `call` finished (not the steps where it blocked). */
function finished(trace: TraceEntry[], thread: string, call: string): number {
  return trace.findIndex((entry) => entry.thread === thread && entry.call === call && !entry.blocked && entry.error === undefined);
}

/**
 * A sender and a receiver that say what they are doing. Under a rendezvous
 * 'sent' can never come before 'receiving'; with room in the channel it can.
 */
function senderAndReceiver(send: string, receive: string): string {
  return `
    export default async function main(sys) {
      const mb = await sys.mailbox_create('m');
      const child = await sys.fork();
      if (child === 0) {
        await sys.print('receiving');
        const got = await ${receive};
        await sys.print('received', got.data);
        return;
      }
      await ${send};
      await sys.print('sent');
      await sys.wait();
    }`;
}

describe('direct messages: send_to and receive_from', () => {
  test('receive_from gives the sender\'s pid and data, in the order each link carried them', async () => {
    const r = await run(`
      export default async function main(sys) {
        const child = await sys.fork();
        if (child === 0) {
          for (const data of ['one', { two: [2] }, 'three']) await sys.send_to(sys.getppid(), data);
          return;
        }
        for (let i = 0; i < 3; i++) await sys.print(JSON.stringify(await sys.receive_from(child)));
        await sys.wait();
      }`);
    expect(r.stdout).toBe('{"from":3,"data":"one"}\n{"from":3,"data":{"two":[2]}}\n{"from":3,"data":"three"}\n');
  });

  test('receive_from(\'any\') takes messages from every sender, oldest first, even after the sender exited', async () => {
    const r = await run(`
      export default async function main(sys) {
        const me = sys.getpid();
        if (await sys.fork() === 0) { await sys.send_to(me, 'a'); return; }
        await sys.wait();
        if (await sys.fork() === 0) { await sys.send_to(me, 'b'); return; }
        await sys.wait();
        await sys.send_to(me, 'c');
        for (let i = 0; i < 3; i++) await sys.print(JSON.stringify(await sys.receive_from('any')));
      }`);
    expect(r.stdout).toBe('{"from":3,"data":"a"}\n{"from":4,"data":"b"}\n{"from":2,"data":"c"}\n');
  });

  test('receive_from(pid) takes only that sender\'s messages', async () => {
    const r = await run(`
      export default async function main(sys) {
        const me = sys.getpid();
        const a = await sys.fork();
        if (a === 0) { await sys.send_to(me, 'from a'); return; }
        const b = await sys.fork();
        if (b === 0) { await sys.send_to(me, 'from b'); return; }
        await sys.print((await sys.receive_from(b)).data);
        await sys.print((await sys.receive_from(a)).data);
        await sys.wait(); await sys.wait();
      }`);
    expect(r.stdout).toBe('from b\nfrom a\n');
  });

  test('a message is a copy: changing the value after send_to does not change what is received', async () => {
    const r = await run(`
      export default async function main(sys) {
        const me = sys.getpid();
        const value = { list: [1] };
        await sys.send_to(me, value);
        value.list.push(2);
        const got = await sys.receive_from(me);
        got.data.list.push(3);
        await sys.print(JSON.stringify(got.data), JSON.stringify(value));
      }`);
    expect(r.stdout).toBe('{"list":[1,3]} {"list":[1,2]}\n');
  });

  test('send_to and receive_from name a process that does not exist: ESRCH', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        await sys.print(await code(sys.send_to(99, 'x')), await code(sys.receive_from(99)), await code(sys.receive_from(99, { nowait: true })));
      }`);
    expect(r.stdout).toBe('ESRCH ESRCH ESRCH\n');
  });

  test('a process that exited can no longer be sent to, and once its messages are taken receive_from it is ESRCH', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const child = await sys.fork();
        if (child === 0) { await sys.send_to(sys.getppid(), 'last words'); return; }
        await sys.wait();
        await sys.print(await code(sys.send_to(child, 'x')), (await sys.receive_from(child)).data, await code(sys.receive_from(child)));
      }`);
    expect(r.stdout).toBe('ESRCH last words ESRCH\n');
  });

  test('a receive_from waiting for a process that exits without sending rejects with ESRCH', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const child = await sys.fork();
        if (child === 0) { await sys.sleep(10); return; }
        await sys.print(await code(sys.receive_from(child)));
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('ESRCH\n');
  });

  test('a send_to waiting on a full link rejects with ESRCH when the receiver exits', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const me = sys.getpid();
        if (await sys.fork() === 0) {
          await sys.send_to(me, 'fits');
          await sys.print(await code(sys.send_to(me, 'waits')));
          return;
        }
        await sys.sleep(10);
      }`, { linkCapacity: 1 });
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('ESRCH\n');
  });

  test('a non-blocking receive_from with nothing queued rejects with EAGAIN', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        await sys.print(await code(sys.receive_from('any', { nowait: true })), await code(sys.receive_from(sys.getpid(), { nowait: true })));
      }`);
    expect(r.stdout).toBe('EAGAIN EAGAIN\n');
  });

  test('with link capacity Infinity (the default) send_to never blocks', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const me = sys.getpid();
        let ok = 0;
        for (let i = 0; i < 100; i++) if (await code(sys.send_to(me, i, { nowait: true })) === 'ok') ok++;
        let sum = 0;
        for (let i = 0; i < 100; i++) sum += (await sys.receive_from(me)).data;
        await sys.print(ok, sum);
      }`);
    expect(r.stdout).toBe('100 4950\n');
  });

  test('with link capacity n send_to blocks while n messages wait on the link', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const me = sys.getpid();
        const child = await sys.fork();
        if (child === 0) {
          await sys.send_to(me, 1);
          await sys.send_to(me, 2);
          await sys.print('nowait', await code(sys.send_to(me, 3, { nowait: true })));
          await sys.send_to(me, 3);
          await sys.print('sent 3');
          return;
        }
        await sys.sleep(10);
        await sys.print('receiving');
        for (let i = 0; i < 3; i++) await sys.print('got', (await sys.receive_from(child)).data);
        await sys.wait();
      }`, { linkCapacity: 2 });
    expect(r.status).toBe('ok');
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['nowait EAGAIN', 'receiving']);
    expect(lines.filter((line) => line.startsWith('got'))).toEqual(['got 1', 'got 2', 'got 3']);
  });

  test('with link capacity 0 send_to does not complete before the receiver has taken the message, under every schedule', async () => {
    const source = senderAndReceiver('sys.send_to(child, "x")', 'sys.receive_from(sys.getppid())');
    for (const r of await everySchedule(source, { linkCapacity: 0, trace: true })) {
      expect(r.status).toBe('ok');
      const lines = r.stdout.trim().split('\n');
      expect(lines.indexOf('sent')).toBeGreaterThan(lines.indexOf('receiving'));
      expect(finished(r.trace!, '2:2', 'send_to')).toBeGreaterThan(finished(r.trace!, '3:3', 'receive_from'));
    }
  });

  test('with link capacity Infinity the sender may finish before the receiver starts (the contrast to a rendezvous)', async () => {
    const source = senderAndReceiver('sys.send_to(child, "x")', 'sys.receive_from(sys.getppid())');
    const orders = (await everySchedule(source)).map((r) => r.stdout.trim().split('\n'));
    expect(orders.some((lines) => lines.indexOf('sent') < lines.indexOf('receiving'))).toBe(true);
  });

  test('a non-blocking send_to on a zero-capacity link succeeds only when the receiver is already waiting', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const child = await sys.fork();
        if (child === 0) { await sys.print('got', (await sys.receive_from(sys.getppid())).data); return; }
        await sys.print('early', await code(sys.send_to(child, 'x', { nowait: true })));
        await sys.sleep(10);
        await sys.print('waiting', await code(sys.send_to(child, 'y', { nowait: true })));
        await sys.wait();
      }`, { linkCapacity: 0, schedule: 'rr' });
    expect(r.stdout).toBe('early EAGAIN\nwaiting ok\ngot y\n');
  });

  test('a zero-capacity send_to nobody receives is a deadlock that says the sender waits for the receiver', async () => {
    const r = await run(`
      export default async function main(sys) {
        const child = await sys.fork();
        if (child === 0) { await sys.pause(); return; }
        await sys.send_to(child, 'x');
      }`, { linkCapacity: 0 });
    expect(r.status).toBe('deadlock');
    expect(r.message).toContain('send_to pid 3 with capacity 0 waits for pid 3 to receive; pid 3 waits in pause()');
  });

  test('a receive_from that cannot be satisfied is a deadlock that names the sender and where it is stuck', async () => {
    const r = await run(`
      export default async function main(sys) {
        const child = await sys.fork();
        if (child === 0) { await sys.receive_from(sys.getppid()); return; }
        await sys.receive_from(child);
      }`);
    expect(r.status).toBe('deadlock');
    expect(r.message).toContain('no message from pid 3 has arrived and pid 3 waits in receive_from()');
    expect(r.message).toContain('no message from pid 2 has arrived and pid 2 waits in receive_from()');
  });

  test('bad arguments reject with EINVAL, and the calls with ENOSYS when the message group is off', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        await sys.print(await code(sys.send_to('2', 'x')), await code(sys.send_to(2, () => 1)), await code(sys.receive_from(0)), await code(sys.receive_from('all')));
      }`);
    expect(r.stdout).toBe('EINVAL EINVAL EINVAL EINVAL\n');
    const off = await run(`${CODE}
      export default async function main(sys) { await sys.print(await code(sys.send_to(2, 'x')), await code(sys.receive_from('any'))); }`, { enable: ['mailbox'] });
    expect(off.stdout).toBe('ENOSYS ENOSYS\n');
  });

  test('the trace draws a direct message from the sending thread to the receiving thread', async () => {
    const r = await run(`
      export default async function main(sys) {
        const child = await sys.fork();
        if (child === 0) { await sys.send_to(sys.getppid(), { n: 1 }); return; }
        await sys.receive_from(child);
        await sys.wait();
      }`, { trace: true });
    expect(r.trace!.filter((entry) => entry.message).map((entry) => entry.message))
      .toEqual([{ from: '3:3', to: '2:2', channel: 'link from pid 3 to pid 2', data: { n: 1 } }]);
  });

  test('a direct message orders the sender\'s earlier stores before the receiver\'s later loads (no data race)', async () => {
    const r = await run(`
      export default async function main(sys) {
        const seg = await sys.shmat(await sys.shmget(1, 1));
        const child = await sys.fork();
        if (child === 0) { await seg.store(0, 7); await sys.send_to(sys.getppid(), 'done'); return; }
        await sys.receive_from(child);
        await sys.print(await seg.load(0));
        await sys.wait();
      }`);
    expect(r.stdout).toBe('7\n');
    expect(r.races).toEqual([]);
  });
});

describe('mailboxes', () => {
  test('mailbox_open finds a mailbox by name; 7 and \'7\' are different names; a missing name is ENOENT', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const a = await sys.mailbox_create(7);
        const b = await sys.mailbox_create('7');
        const anonymous = await sys.mailbox_create();
        await sys.print(a !== b, await sys.mailbox_open(7) === a, await sys.mailbox_open('7') === b, anonymous !== a && anonymous !== b);
        await sys.print(await sys.mailbox_create(7) === a, await code(sys.mailbox_open('nope')));
      }`);
    expect(r.stdout).toBe('true true true true\ntrue ENOENT\n');
  });

  test('mailbox_receive gives {from, data} in the order sent, each message whole', async () => {
    const r = await run(`
      export default async function main(sys) {
        const mb = await sys.mailbox_create('m');
        if (await sys.fork() === 0) {
          const box = await sys.mailbox_open('m');
          for (const data of ['ab', 'cd', [1, { x: 2 }]]) await sys.mailbox_send(box, data);
          return;
        }
        for (let i = 0; i < 3; i++) await sys.print(JSON.stringify(await sys.mailbox_receive(mb)));
        await sys.wait();
      }`);
    expect(r.stdout).toBe('{"from":3,"data":"ab"}\n{"from":3,"data":"cd"}\n{"from":3,"data":[1,{"x":2}]}\n');
  });

  test('a message is a copy: changing the value after mailbox_send does not change what is received', async () => {
    const r = await run(`
      export default async function main(sys) {
        const mb = await sys.mailbox_create();
        const value = new Map([['k', [1]]]);
        await sys.mailbox_send(mb, value);
        value.get('k').push(2);
        const got = (await sys.mailbox_receive(mb)).data;
        await sys.print(JSON.stringify([...got]), got !== value);
      }`);
    expect(r.stdout).toBe('[["k",[1]]] true\n');
  });

  test('the default capacity is the exercise\'s mailboxCapacity, 8 unless set', async () => {
    const source = `${CODE}
      export default async function main(sys) {
        const mb = await sys.mailbox_create('m');
        let sent = 0;
        while (await code(sys.mailbox_send(mb, sent, { nowait: true })) === 'ok') sent++;
        await sys.print(sent);
      }`;
    expect((await run(source)).stdout).toBe('8\n');
    expect((await run(source, { mailboxCapacity: 3 })).stdout).toBe('3\n');
  });

  test('with capacity Infinity mailbox_send never blocks', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const mb = await sys.mailbox_create('m', { capacity: Infinity });
        let ok = 0;
        for (let i = 0; i < 50; i++) if (await code(sys.mailbox_send(mb, i, { nowait: true })) === 'ok') ok++;
        await sys.print(ok);
      }`);
    expect(r.stdout).toBe('50\n');
  });

  test('with capacity n mailbox_send blocks while n messages wait, and resumes after a receive', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const mb = await sys.mailbox_create('m', { capacity: 2 });
        if (await sys.fork() === 0) {
          await sys.mailbox_send(mb, 1);
          await sys.mailbox_send(mb, 2);
          await sys.print('nowait', await code(sys.mailbox_send(mb, 3, { nowait: true })));
          await sys.mailbox_send(mb, 3);
          await sys.print('sent 3');
          return;
        }
        await sys.sleep(10);
        await sys.print('receiving');
        for (let i = 0; i < 3; i++) await sys.print('got', (await sys.mailbox_receive(mb)).data);
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['nowait EAGAIN', 'receiving']);
    expect(lines.indexOf('sent 3')).toBeGreaterThan(lines.indexOf('receiving'));
    expect(lines.filter((line) => line.startsWith('got'))).toEqual(['got 1', 'got 2', 'got 3']);
  });

  test('with capacity 0 mailbox_send does not complete before a receiver has taken the message, under every schedule', async () => {
    const source = senderAndReceiver('sys.mailbox_send(mb, "x")', 'sys.mailbox_receive(mb)');
    for (const r of await everySchedule(source, { mailboxCapacity: 0, trace: true })) {
      expect(r.status).toBe('ok');
      const lines = r.stdout.trim().split('\n');
      expect(lines.indexOf('sent')).toBeGreaterThan(lines.indexOf('receiving'));
      expect(finished(r.trace!, '2:2', 'mailbox_send')).toBeGreaterThan(finished(r.trace!, '3:3', 'mailbox_receive'));
    }
  });

  test('with capacity 8 the sender may finish before the receiver starts (the contrast to a rendezvous)', async () => {
    const orders = (await everySchedule(senderAndReceiver('sys.mailbox_send(mb, "x")', 'sys.mailbox_receive(mb)')))
      .map((r) => r.stdout.trim().split('\n'));
    expect(orders.some((lines) => lines.indexOf('sent') < lines.indexOf('receiving'))).toBe(true);
  });

  test('a rendezvous is two-way: the receiver\'s earlier stores are ordered before the sender\'s later loads', async () => {
    const source = `
      export default async function main(sys) {
        const mb = await sys.mailbox_create('m');
        const seg = await sys.shmat(await sys.shmget(1, 1));
        if (await sys.fork() === 0) { await seg.store(0, 5); await sys.mailbox_receive(mb); return; }
        await sys.mailbox_send(mb, 'go');
        await sys.print(await seg.load(0));
        await sys.wait();
      }`;
    const rendezvous = await run(source, { mailboxCapacity: 0 });
    expect(rendezvous.stdout).toBe('5\n');
    expect(rendezvous.races).toEqual([]);
    const buffered = await everySchedule(source, { mailboxCapacity: 1 });
    expect(buffered.some((r) => r.races.length > 0)).toBe(true);
  });

  test('a non-blocking mailbox_send with capacity 0 is EAGAIN unless a receiver is waiting; a non-blocking receive of an empty mailbox is EAGAIN', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const mb = await sys.mailbox_create('m', { capacity: 0 });
        await sys.print('send', await code(sys.mailbox_send(mb, 'x', { nowait: true })), 'receive', await code(sys.mailbox_receive(mb, { nowait: true })));
        if (await sys.fork() === 0) { await sys.print('got', (await sys.mailbox_receive(mb)).data); return; }
        await sys.sleep(10);
        await sys.print('send', await code(sys.mailbox_send(mb, 'y', { nowait: true })));
        await sys.wait();
      }`);
    expect(r.stdout).toBe('send EAGAIN receive EAGAIN\nsend ok\ngot y\n');
  });

  test('with two receivers waiting on one mailbox, the scheduler decides which gets the message, and each does under some seed', async () => {
    const source = `
      export default async function main(sys) {
        const mb = await sys.mailbox_create('m');
        for (const name of ['A', 'B']) {
          if (await sys.fork() === 0) {
            const got = await sys.mailbox_receive(mb);
            await sys.print(name, got.data);
            return;
          }
        }
        await sys.sleep(10);
        await sys.mailbox_send(mb, 'first');
        await sys.mailbox_send(mb, 'second');
        await sys.wait(); await sys.wait();
      }`;
    const winners = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const r = await run(source, { schedule: 'random', seed });
      expect(r.status).toBe('ok');
      expect(r.stdout.split('\n').filter(Boolean).map((line) => line.split(' ')[1]).sort()).toEqual(['first', 'second']);
      winners.add(r.stdout.split('\n').find((line) => line.endsWith(' first'))!.split(' ')[0]);
    }
    expect([...winners].sort()).toEqual(['A', 'B']);
  });

  test('mailbox_destroy makes blocked senders and receivers reject with EIDRM, and frees the name', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const empty = await sys.mailbox_create('empty');
        const full = await sys.mailbox_create('full', { capacity: 1 });
        await sys.mailbox_send(full, 'x');
        if (await sys.fork() === 0) { await sys.print('receiver', await code(sys.mailbox_receive(empty))); return; }
        if (await sys.fork() === 0) { await sys.print('sender', await code(sys.mailbox_send(full, 'y'))); return; }
        await sys.sleep(10);
        await sys.mailbox_destroy(empty);
        await sys.mailbox_destroy(full);
        await sys.wait(); await sys.wait();
        await sys.print('later', await code(sys.mailbox_send(empty, 'z')), await code(sys.mailbox_receive(full)),
          await code(sys.mailbox_destroy(empty)), await code(sys.mailbox_open('empty')));
      }`);
    expect(r.status).toBe('ok');
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 2).sort()).toEqual(['receiver EIDRM', 'sender EIDRM']);
    expect(lines[2]).toBe('later EIDRM EIDRM EIDRM ENOENT');
  });

  test('a rendezvous send interrupted by a signal rejects with EINTR and its message is withdrawn', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const mb = await sys.mailbox_create('m', { capacity: 0 });
        await sys.signal('SIGUSR1', async () => {});
        if (await sys.fork() === 0) {
          await sys.sleep(10);
          await sys.kill(sys.getppid(), 'SIGUSR1');
          await sys.sleep(10);
          await sys.print('child', await code(sys.mailbox_receive(mb, { nowait: true })));
          return;
        }
        await sys.print('parent', await code(sys.mailbox_send(mb, 'x')));
        await sys.wait();
      }`);
    expect(r.stdout).toBe('parent EINTR\nchild EAGAIN\n');
  });

  test('an empty mailbox nobody sends to is a deadlock that names the mailbox', async () => {
    const r = await run(`
      export default async function main(sys) {
        const mb = await sys.mailbox_create('m');
        if (await sys.fork() === 0) { await sys.pause(); return; }
        await sys.mailbox_receive(mb);
      }`);
    expect(r.status).toBe('deadlock');
    expect(r.message).toContain('pid 2 waits in mailbox_receive: mailbox 1 is empty and no process that could send to it is running.');
  });

  test('a zero-capacity mailbox_send nobody receives is a deadlock that says the message waits for a receiver', async () => {
    const r = await run(`
      export default async function main(sys) {
        const mb = await sys.mailbox_create('m', { capacity: 0 });
        await sys.mailbox_send(mb, 'x');
      }`);
    expect(r.deadlock?.blocked[0].detail).toBe('mailbox 1 has capacity 0: the message waits for a receiver to take it and no process that could receive from it is running');
  });

  test('bad arguments reject with EINVAL, and the calls with ENOSYS when the mailbox group is off', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const mb = await sys.mailbox_create();
        await sys.print(await code(sys.mailbox_create('m', { capacity: -1 })), await code(sys.mailbox_create('m', { capacity: 1.5 })),
          await code(sys.mailbox_open({})), await code(sys.mailbox_send(99, 'x')), await code(sys.mailbox_send(mb, () => 1)),
          await code(sys.mailbox_receive('m')), await code(sys.msg_reply({ data: 1 }, 'x')));
      }`);
    expect(r.stdout).toBe('EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL\n');
    const off = await run(`${CODE}
      export default async function main(sys) { await sys.print(await code(sys.mailbox_create()), await code(sys.port_allocate())); }`, { enable: ['message'] });
    expect(off.stdout).toBe('ENOSYS ENOSYS\n');
  });

  test('mailbox_create({capacity}) without a name makes an anonymous mailbox with that capacity', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const mb = await sys.mailbox_create({ capacity: 1 });
        await sys.mailbox_send(mb, 1);
        await sys.print(await code(sys.mailbox_send(mb, 2, { nowait: true })));
      }`);
    expect(r.stdout).toBe('EAGAIN\n');
  });

  test('the trace draws a mailbox message from the sending thread to the receiving thread', async () => {
    const r = await run(`
      export default async function main(sys) {
        const mb = await sys.mailbox_create('m');
        if (await sys.fork() === 0) { await sys.mailbox_receive(mb); return; }
        await sys.mailbox_send(mb, 'hello');
        await sys.wait();
      }`, { trace: true });
    expect(r.trace!.filter((entry) => entry.message).map((entry) => entry.message))
      .toEqual([{ from: '2:2', to: '3:3', channel: 'mailbox 1', data: 'hello' }]);
  });
});

describe('Mach-style ports', () => {
  test('msg_send and msg_receive carry data through a port; a plain message has no reply port', async () => {
    const r = await run(`
      export default async function main(sys) {
        const port = await sys.port_allocate();
        await sys.msg_send(port, { op: 'ping' });
        await sys.print(JSON.stringify(await sys.msg_receive(port)));
      }`);
    expect(r.stdout).toBe('{"from":2,"data":{"op":"ping"},"replyPort":null}\n');
  });

  test('msg_rpc sends with a fresh reply port and resolves to what the server passes to msg_reply', async () => {
    const r = await run(`${CODE}
      export default async function main(sys) {
        const port = await sys.port_allocate();
        if (await sys.fork() === 0) {
          let last;
          for (let i = 0; i < 3; i++) {
            last = await sys.msg_receive(port);
            await sys.msg_reply(last, { doubled: last.data * 2, client: last.from });
          }
          await sys.print('reply again', await code(sys.msg_reply(last, 'late')));
          return;
        }
        for (const n of [1, 2, 3]) await sys.print(JSON.stringify(await sys.msg_rpc(port, n)));
        await sys.wait();
      }`);
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('{"doubled":2,"client":2}\n{"doubled":4,"client":2}\n{"doubled":6,"client":2}\nreply again EIDRM\n');
  });

  test('msg_rpc gives every client its own reply, under every schedule', async () => {
    const source = `
      export default async function main(sys) {
        const port = await sys.port_allocate();
        if (await sys.fork() === 0) {
          for (let i = 0; i < 2; i++) { const m = await sys.msg_receive(port); await sys.msg_reply(m, m.data + '!'); }
          return;
        }
        if (await sys.fork() === 0) { await sys.print(await sys.msg_rpc(port, 'b')); return; }
        await sys.print(await sys.msg_rpc(port, 'a'));
        await sys.wait(); await sys.wait();
      }`;
    for (const r of await everySchedule(source)) {
      expect(r.status).toBe('ok');
      expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['a!', 'b!']);
    }
  });

  test('a msg_rpc nobody answers is a deadlock that says it waits for a reply', async () => {
    const r = await run(`
      export default async function main(sys) {
        const port = await sys.port_allocate();
        if (await sys.fork() === 0) { await sys.msg_receive(port); await sys.pause(); return; }
        await sys.msg_rpc(port, 'hello?');
      }`);
    expect(r.status).toBe('deadlock');
    expect(r.message).toContain('msg_rpc waits for a reply on port 2 to its request on port 1 and no process that could reply is running');
  });
});
