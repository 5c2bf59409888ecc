/**
 * The kernel never calls the program's code: every sys call that takes an object or an array
 * refuses, in the caller's own turn, a Proxy, an object with a getter, and a typed array with a
 * method of its own, with EINVAL and a sentence, and never touches the trap, getter or method.
 * Runs in the sandbox, whose realm reports each Proxy to the kernel.
 */
import { runJob } from '../grader/sandbox';

/** Each sys call with an object or array argument, and how to call it with `X` there. */
const CALLS: Record<string, string> = {
  waitpid: 'sys.waitpid(-1, X)',
  exec: "sys.exec('echo', X)",
  signal: "sys.signal('SIGUSR1', () => undefined, X)",
  msgget: "sys.msgget('queue', X)",
  msgsnd: 'sys.msgsnd(1, 1, X)',
  'msgsnd options': "sys.msgsnd(1, 1, 'data', X)",
  msgrcv: 'sys.msgrcv(1, 0, X)',
  send_to: 'sys.send_to(2, X)',
  'send_to options': "sys.send_to(2, 'data', X)",
  receive_from: "sys.receive_from('any', X)",
  mailbox_create: "sys.mailbox_create('box', X)",
  mailbox_send: 'sys.mailbox_send(1, X)',
  'mailbox_send options': "sys.mailbox_send(1, 'data', X)",
  mailbox_receive: 'sys.mailbox_receive(1, X)',
  port_allocate: 'sys.port_allocate(X)',
  msg_send: 'sys.msg_send(1, X)',
  msg_receive: 'sys.msg_receive(1, X)',
  msg_rpc: 'sys.msg_rpc(1, X)',
  msg_reply: "sys.msg_reply(X, 'data')",
  'msg_reply data': 'sys.msg_reply({ replyPort: 1 }, X)',
  bind: 'sys.bind(3, X)',
  connect: 'sys.connect(3, X)',
  sendto: "sys.sendto(3, 'data', X)",
  'sendto data': 'sys.sendto(3, X, { host: "10.0.0.1", port: 7 })',
};

/** Tries the call with each exotic argument; prints each outcome's errno and how often program code ran. */
function programFor(call: string): string {
  return `export default async function main(sys) {
    let touched = 0;
    const trap = () => { touched++; throw new Error('the program ran inside the kernel'); };
    const exotics = [
      new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap }),
      Object.defineProperty({ nowait: true }, 'capacity', { get: trap, enumerable: true }),
      Object.defineProperty(new Uint8Array(2), 'slice', { value: trap }),
    ];
    const outcomes = [];
    for (const X of exotics) {
      try {
        await ${call};
        outcomes.push('accepted');
      } catch (error) {
        outcomes.push(error.code === 'EINVAL' ? error.message : 'not EINVAL: ' + error.message);
      }
    }
    await sys.print(JSON.stringify({ outcomes, touched }));
  }`;
}

test.each(Object.entries(CALLS))('%s refuses a Proxy, a getter and a typed array with its own method, touching none of them', async (name, call) => {
  const result = await runJob({ programs: [{ source: programFor(call), fileName: 'main.js' }], settings: {} });
  expect(result.status).toBe('ok');
  const syscall = name.split(' ')[0];
  expect(JSON.parse(result.stdout)).toEqual({
    outcomes: [
      `${syscall}: a Proxy cannot be passed to the kernel: pass plain data (EINVAL)`,
      `${syscall}: property 'capacity' has a getter or setter: pass plain data (EINVAL)`,
      `${syscall}: this Uint8Array has properties of its own: pass plain data (EINVAL)`,
    ],
    touched: 0,
  });
});

test('plain data still crosses whole: a Map, a Set, a Date and a typed array arrive as copies in another process', async () => {
  const source = `export default async function main(sys) {
    const queue = await sys.msgget('q');
    if ((await sys.fork()) === 0) {
      const { data } = await sys.msgrcv(queue, 0);
      await sys.print(JSON.stringify([[...data.map], [...data.set], data.date.getTime(), [...data.bytes], data.bytes.constructor.name, data.nested.list]));
      return 0;
    }
    const bytes = new Uint16Array([7, 65535]);
    await sys.msgsnd(queue, 1, { map: new Map([['a', 1]]), set: new Set([2]), date: new Date(5), bytes, nested: { list: [1, [2]] } });
    bytes[0] = 0;
    await sys.wait();
  }`;
  const result = await runJob({ programs: [{ source, fileName: 'main.js' }], settings: {} });
  expect(result.stdout).toBe(`${JSON.stringify([[['a', 1]], [2], 5, [7, 65535], 'Uint16Array', [1, [2]]])}\n`);
});
