import { moduleFrom, run, runKernel } from '../test/support/kernel';
import type { RunOptions, RunResult } from './types';

/** Runs programs on several hosts at once: `[host, source]` pairs, the first usually 10.0.0.1. */
function onHosts(programs: [string, string][], options: Omit<RunOptions, 'programs'> = {}): Promise<RunResult> {
  return runKernel({ ...options, programs: programs.map(([host, source]) => ({ host, module: moduleFrom(source) })) });
}

/** Client-side source: connect, trying again while the server (another host's first process) has not started listening. */
const CONNECT = `
async function connectWhenListening(sys, fd, address) {
  for (;;) {
    try {
      return await sys.connect(fd, address);
    } catch (e) {
      if (e.code !== 'ECONNREFUSED') throw e;
      await sys.sleep(1);
    }
  }
}`;

/** A server on 10.0.0.1 port 7 that accepts one connection, receives until the peer closes, and prints it. */
const RECEIVE_ALL_SERVER = `
export default async function main(sys) {
  const s = await sys.socket('inet', 'stream');
  await sys.bind(s, { port: 7 });
  await sys.listen(s, 4);
  const { fd } = await sys.accept(s);
  let got = '';
  for (let chunk; (chunk = await sys.recv(fd, 64)) !== '';) got += chunk;
  await sys.print(got);
}`;

describe('stream sockets', () => {
  test('bytes sent on a connection arrive at the peer in order, and recv returns \'\' once the peer has closed', async () => {
    const result = await onHosts([['10.0.0.1', RECEIVE_ALL_SERVER], ['10.0.0.2', `
      ${CONNECT}
      export default async function main(sys) {
        const c = await sys.socket('inet', 'stream');
        await connectWhenListening(sys, c, { host: '10.0.0.1', port: 7 });
        for (const word of ['one ', 'two ', 'three ', 'four']) await sys.send(c, word);
        await sys.close(c);
      }`]]);
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('one two three four\n');
  });

  test('read and write on a connected stream socket behave like recv and send', async () => {
    const result = await run(`
      export default async function main(sys) {
        const s = await sys.socket('unix', 'stream');
        await sys.bind(s, { path: '/tmp/rw' });
        await sys.listen(s, 1);
        if (await sys.fork() === 0) {
          const c = await sys.socket('unix', 'stream');
          await sys.connect(c, { path: '/tmp/rw' });
          await sys.write(c, 'through write');
          return 0;
        }
        const { fd } = await sys.accept(s);
        let got = '';
        for (let chunk; (chunk = await sys.read(fd, 100)) !== '';) got += chunk;
        await sys.print(got);
        await sys.wait();
      }`);
    expect(result.stdout).toBe('through write\n');
  });

  test('a stream keeps no message boundaries: a reader assuming one recv per send fails for some seed', async () => {
    const client = `
      ${CONNECT}
      export default async function main(sys) {
        const c = await sys.socket('inet', 'stream');
        await connectWhenListening(sys, c, { host: '10.0.0.1', port: 7 });
        for (const line of ['alpha\\n', 'bravo\\n', 'charlie\\n']) await sys.send(c, line);
        await sys.close(c);
      }`;
    const naive = `
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 7 });
        await sys.listen(s, 1);
        const { fd } = await sys.accept(s);
        const lines = [];
        for (let i = 0; i < 3; i++) lines.push((await sys.recv(fd, 100)).trim());
        await sys.print(lines.join('|'));
      }`;
    const reassembling = `
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 7 });
        await sys.listen(s, 1);
        const { fd } = await sys.accept(s);
        const lines = [];
        let buffer = '';
        while (lines.length < 3) {
          const chunk = await sys.recv(fd, 100);
          if (chunk === '') break;
          buffer += chunk;
          let newline;
          while ((newline = buffer.indexOf('\\n')) >= 0) {
            lines.push(buffer.slice(0, newline));
            buffer = buffer.slice(newline + 1);
          }
        }
        await sys.print(lines.join('|'));
      }`;
    const seeds = Array.from({ length: 50 }, (_, i) => i + 1);
    const naiveOutputs: string[] = [];
    for (const seed of seeds) {
      const good = await onHosts([['10.0.0.1', reassembling], ['10.0.0.2', client]], { seed });
      expect({ seed, stdout: good.stdout }).toEqual({ seed, stdout: 'alpha|bravo|charlie\n' });
      naiveOutputs.push((await onHosts([['10.0.0.1', naive], ['10.0.0.2', client]], { seed })).stdout);
    }
    expect(naiveOutputs.some((out) => out !== 'alpha|bravo|charlie\n')).toBe(true);
  });

  test('the same seed cuts the stream the same way', async () => {
    const cuts = `
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 9000 });
        await sys.listen(s, 1);
        if (await sys.fork() === 0) {
          const c = await sys.socket('inet', 'stream');
          await sys.connect(c, { port: 9000 });
          await sys.send(c, 'abcdefghijklmnopqrstuvwxyz');
          return 0;
        }
        const { fd } = await sys.accept(s);
        const parts = [];
        for (let chunk; (chunk = await sys.recv(fd, 26)) !== '';) parts.push(chunk);
        await sys.print(parts.join('/'));
        await sys.wait();
      }`;
    const outputs = await Promise.all([1, 1, 2, 3, 4].map((seed) => run(cuts, { seed })));
    expect(outputs.map((r) => r.stdout.replaceAll('/', ''))).toEqual(Array(5).fill('abcdefghijklmnopqrstuvwxyz\n'));
    expect(outputs[0].stdout).toBe(outputs[1].stdout);
    expect(new Set(outputs.map((r) => r.stdout)).size).toBeGreaterThan(1);
  });

  test('an unbound client gets an ephemeral port when it connects; getsockname and getpeername agree on both ends', async () => {
    const result = await run(`
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { host: '10.0.0.1', port: 80 });
        await sys.listen(s, 1);
        const c = await sys.socket('inet', 'stream');
        const before = await sys.getsockname(c);
        await sys.connect(c, { host: '10.0.0.1', port: 80 });
        const { fd, peer } = await sys.accept(s);
        const out = {
          before, client: await sys.getsockname(c), peer,
          serverPeer: await sys.getpeername(fd), clientPeer: await sys.getpeername(c), server: await sys.getsockname(fd),
        };
        await sys.print(JSON.stringify(out));
      }`);
    const out = JSON.parse(result.stdout);
    expect(out.before).toEqual({ host: '10.0.0.1', port: 0 });
    expect(out.client.port).toBeGreaterThanOrEqual(49152);
    expect(out.peer).toEqual(out.client);
    expect(out.serverPeer).toEqual(out.client);
    expect(out.clientPeer).toEqual({ host: '10.0.0.1', port: 80 });
    expect(out.server).toEqual({ host: '10.0.0.1', port: 80 });
  });

  test('connect to an address nobody listens on rejects with ECONNREFUSED', async () => {
    const result = await run(`
      export default async function main(sys) {
        const bound = await sys.socket('inet', 'stream');
        await sys.bind(bound, { port: 5000 });
        const codes = [];
        for (const addr of [{ port: 5000 }, { port: 5001 }, { host: '10.0.0.9', port: 5000 }]) {
          const c = await sys.socket('inet', 'stream');
          try { await sys.connect(c, addr); codes.push('connected'); } catch (e) { codes.push(e.code); }
        }
        const u = await sys.socket('unix', 'stream');
        try { await sys.connect(u, { path: '/tmp/nobody' }); } catch (e) { codes.push(e.code); }
        await sys.print(codes.join(' '));
      }`);
    expect(result.stdout).toBe('ECONNREFUSED ECONNREFUSED ECONNREFUSED ECONNREFUSED\n');
  });

  test('connect blocks while the listener\'s backlog is full and goes on once accept makes room', async () => {
    const result = await run(`
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 7 });
        await sys.listen(s, 1);
        if (await sys.fork() === 0) {
          const first = await sys.socket('inet', 'stream');
          await sys.connect(first, { port: 7 });
          await sys.print('first connected');
          const second = await sys.socket('inet', 'stream');
          await sys.connect(second, { port: 7 });
          await sys.print('second connected');
          return 0;
        }
        await sys.sleep(10);
        await sys.print('accepting');
        await sys.accept(s);
        await sys.wait();
      }`, { trace: true });
    expect(result.stdout).toBe('first connected\naccepting\nsecond connected\n');
    const blocked = result.trace!.find((entry) => entry.call === 'connect' && entry.blocked);
    expect(blocked?.blocked).toMatch(/backlog \(1 of 1 connections queued\)/);
  });

  test('a connect that never finds room in the backlog is reported as a deadlock', async () => {
    const result = await run(`
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 7 });
        await sys.listen(s, 1);
        if (await sys.fork() === 0) {
          for (let i = 0; i < 2; i++) await sys.connect(await sys.socket('inet', 'stream'), { port: 7 });
          return 0;
        }
        await sys.wait();
      }`);
    expect(result.status).toBe('deadlock');
    expect(result.deadlock!.blocked).toContainEqual(expect.objectContaining({ pid: 3, call: 'connect' }));
    expect(result.message).toMatch(/connect to 10\.0\.0\.1:7 waits for room in the listener's backlog/);
  });

  test('accept blocks until a connection is queued, and a deadlock report says nobody is connecting', async () => {
    const result = await run(`
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 7 });
        await sys.listen(s, 5);
        await sys.accept(s);
      }`);
    expect(result.status).toBe('deadlock');
    expect(result.deadlock!.blocked).toEqual([
      { pid: 2, tid: 2, call: 'accept', detail: 'accept on 10.0.0.1:7 waits for a connection; no process is connecting' },
    ]);
  });

  test('a blocked recv is reported with the peer that still holds the connection open', async () => {
    const result = await run(`
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 7 });
        await sys.listen(s, 1);
        const c = await sys.socket('inet', 'stream');
        await sys.connect(c, { port: 7 });
        const { fd } = await sys.accept(s);
        await sys.recv(fd, 10);
      }`);
    expect(result.status).toBe('deadlock');
    expect(result.deadlock!.blocked[0].detail).toMatch(/recv on 10\.0\.0\.1:7 waits for data from 10\.0\.0\.1:49152; the peer socket is open in pid 2 \(fd 4\)/);
  });

  test('send blocks while the connection is full and goes on as the peer receives', async () => {
    const result = await run(`
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 7 });
        await sys.listen(s, 1);
        if (await sys.fork() === 0) {
          const c = await sys.socket('inet', 'stream');
          await sys.connect(c, { port: 7 });
          const sent = await sys.send(c, 'x'.repeat(40));
          await sys.print('sent ' + sent);
          return 0;
        }
        const { fd } = await sys.accept(s);
        await sys.sleep(5);
        await sys.print('receiving');
        let total = 0;
        for (let chunk; (chunk = await sys.recv(fd, 100)) !== '';) total += chunk.length;
        await sys.print('received ' + total);
        await sys.wait();
      }`, { socketCapacity: 16, trace: true });
    expect(result.stdout).toBe('receiving\nsent 40\nreceived 40\n');
    expect(result.trace!.some((entry) => entry.call === 'send' && /is full \(16 of 16 characters\)/.test(entry.blocked ?? ''))).toBe(true);
  });

  test('send to a peer that has closed raises SIGPIPE, and fails with EPIPE when SIGPIPE is ignored', async () => {
    const program = (ignore: boolean): string => `
      export default async function main(sys) {
        ${ignore ? "await sys.signal('SIGPIPE', 'ignore');" : ''}
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 7 });
        await sys.listen(s, 1);
        const c = await sys.socket('inet', 'stream');
        await sys.connect(c, { port: 7 });
        const { fd } = await sys.accept(s);
        await sys.close(fd);
        try { await sys.send(c, 'anyone?'); } catch (e) { await sys.print(e.code); }
        await sys.print('still here');
      }`;
    const killed = await run(program(false));
    expect(killed.processes[0]).toMatchObject({ status: null, signal: 'SIGPIPE' });
    expect(killed.stdout).toBe('');
    const ignored = await run(program(true));
    expect(ignored.stdout).toBe('EPIPE\nstill here\n');
  });

  test('send and recv on a stream socket that is not connected fail with ENOTCONN, and so does getpeername', async () => {
    const result = await run(`
      export default async function main(sys) {
        const c = await sys.socket('inet', 'stream');
        const codes = [];
        for (const attempt of [() => sys.send(c, 'x'), () => sys.recv(c, 1), () => sys.getpeername(c), () => sys.shutdown(c, 'write')]) {
          try { await attempt(); codes.push('ok'); } catch (e) { codes.push(e.code); }
        }
        await sys.print(codes.join(' '));
      }`);
    expect(result.stdout).toBe('ENOTCONN ENOTCONN ENOTCONN ENOTCONN\n');
  });

  test('shutdown(\'write\') ends the stream for the peer while the other direction still carries a reply; a later send fails with EPIPE', async () => {
    const result = await run(`
      export default async function main(sys) {
        await sys.signal('SIGPIPE', 'ignore');
        const s = await sys.socket('unix', 'stream');
        await sys.bind(s, { path: '/tmp/half' });
        await sys.listen(s, 1);
        if (await sys.fork() === 0) {
          const { fd } = await sys.accept(s);
          let request = '';
          for (let chunk; (chunk = await sys.recv(fd, 8)) !== '';) request += chunk;
          await sys.send(fd, request.toUpperCase());
          return 0;
        }
        const c = await sys.socket('unix', 'stream');
        await sys.connect(c, { path: '/tmp/half' });
        await sys.send(c, 'shout this');
        await sys.shutdown(c, 'write');
        let reply = '';
        for (let chunk; (chunk = await sys.recv(c, 8)) !== '';) reply += chunk;
        try { await sys.send(c, 'more'); } catch (e) { reply += ' ' + e.code; }
        await sys.print(reply);
        await sys.wait();
      }`, { enable: ['proc', 'fd', 'socket', 'signal'] });
    expect(result.stdout).toBe('SHOUT THIS EPIPE\n');
  });

  test('after shutdown(\'read\') recv returns \'\'; shutdown rejects an unknown direction with EINVAL', async () => {
    const result = await run(`
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 7 });
        await sys.listen(s, 1);
        const c = await sys.socket('inet', 'stream');
        await sys.connect(c, { port: 7 });
        const { fd } = await sys.accept(s);
        await sys.send(c, 'ignored');
        await sys.shutdown(fd, 'read');
        const got = await sys.recv(fd, 10);
        let code = 'none';
        try { await sys.shutdown(fd, 'sideways'); } catch (e) { code = e.code; }
        await sys.print(JSON.stringify(got), code);
      }`);
    expect(result.stdout).toBe('"" EINVAL\n');
  });

  test('a forked child can serve an accepted connection after the parent closes its copy', async () => {
    const result = await run(`
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 7 });
        await sys.listen(s, 1);
        const c = await sys.socket('inet', 'stream');
        await sys.connect(c, { port: 7 });
        const { fd } = await sys.accept(s);
        if (await sys.fork() === 0) {
          await sys.close(c);
          await sys.send(fd, 'from the child');
          return 0;
        }
        await sys.close(fd);
        await sys.wait();
        let got = '';
        for (let chunk; (chunk = await sys.recv(c, 100)) !== '';) got += chunk;
        await sys.print(got);
      }`);
    expect(result.stdout).toBe('from the child\n');
  });

  test('closing a listener refuses the connections still in its backlog: their clients read end of stream', async () => {
    const result = await run(`
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 7 });
        await sys.listen(s, 2);
        const c = await sys.socket('inet', 'stream');
        await sys.connect(c, { port: 7 });
        await sys.close(s);
        const got = await sys.recv(c, 10);
        const again = await sys.socket('inet', 'stream');
        let code = 'connected';
        try { await sys.connect(again, { port: 7 }); } catch (e) { code = e.code; }
        await sys.print(JSON.stringify(got), code);
      }`);
    expect(result.stdout).toBe('"" ECONNREFUSED\n');
  });

  test('a signal interrupts a blocked accept with EINTR', async () => {
    const result = await run(`
      export default async function main(sys) {
        await sys.signal('SIGALRM', () => {});
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { port: 7 });
        await sys.listen(s, 1);
        await sys.alarm(5);
        try { await sys.accept(s); } catch (e) { await sys.print(e.code); }
      }`);
    expect(result.stdout).toBe('EINTR\n');
  });
});

describe('addresses and names', () => {
  test('bind rejects an address another socket holds with EADDRINUSE, per protocol', async () => {
    const result = await run(`
      export default async function main(sys) {
        const results = [];
        const attempt = async (domain, type, addr) => {
          const s = await sys.socket(domain, type);
          try { await sys.bind(s, addr); results.push('ok'); } catch (e) { results.push(e.code); }
        };
        await attempt('inet', 'stream', { port: 7 });
        await attempt('inet', 'stream', { port: 7 });
        await attempt('inet', 'dgram', { port: 7 });
        await attempt('unix', 'stream', { path: '/tmp/s' });
        await attempt('unix', 'dgram', { path: '/tmp/s' });
        await sys.print(results.join(' '));
      }`);
    expect(result.stdout).toBe('ok EADDRINUSE ok ok EADDRINUSE\n');
  });

  test('a closed inet socket frees its port; a unix socket\'s path stays until unlinked', async () => {
    const result = await run(`
      export default async function main(sys) {
        const out = [];
        const a = await sys.socket('inet', 'stream');
        await sys.bind(a, { port: 7 });
        await sys.close(a);
        const b = await sys.socket('inet', 'stream');
        await sys.bind(b, { port: 7 });
        out.push('port reused');
        const u = await sys.socket('unix', 'stream');
        await sys.bind(u, { path: '/tmp/sock' });
        out.push((await sys.readdir('/tmp')).join(','));
        await sys.close(u);
        const v = await sys.socket('unix', 'stream');
        try { await sys.bind(v, { path: '/tmp/sock' }); } catch (e) { out.push(e.code); }
        await sys.unlink('/tmp/sock');
        await sys.bind(v, { path: '/tmp/sock' });
        out.push('path reused');
        try { await sys.open('/tmp/sock', 'r'); } catch (e) { out.push(e.code); }
        await sys.print(out.join(' '));
      }`);
    expect(result.stdout).toBe('port reused sock EADDRINUSE path reused ENXIO\n');
  });

  test('bind with port 0 picks a free ephemeral port, and binding twice fails with EINVAL', async () => {
    const result = await run(`
      export default async function main(sys) {
        const a = await sys.socket('inet', 'dgram');
        await sys.bind(a, { port: 0 });
        const b = await sys.socket('inet', 'dgram');
        await sys.bind(b, { port: 0 });
        let code = 'ok';
        try { await sys.bind(a, { port: 5 }); } catch (e) { code = e.code; }
        await sys.print(JSON.stringify([await sys.getsockname(a), await sys.getsockname(b)]), code);
      }`);
    expect(result.stdout).toBe('[{"host":"10.0.0.1","port":49152},{"host":"10.0.0.1","port":49153}] EINVAL\n');
  });

  test('getservbyname gives the conventional ports and ENOENT for a service that does not exist', async () => {
    const result = await run(`
      export default async function main(sys) {
        const ports = [];
        for (const [name, proto] of [['echo', 'tcp'], ['daytime', 'udp'], ['ftp', 'tcp'], ['ssh', 'tcp'], ['telnet', 'tcp'],
          ['smtp', 'tcp'], ['time', 'tcp'], ['finger', 'tcp'], ['www', 'tcp'], ['http', 'tcp'], ['https', 'tcp']]) {
          ports.push(await sys.getservbyname(name, proto));
        }
        let code = 'found';
        try { await sys.getservbyname('no-such-service', 'tcp'); } catch (e) { code = e.code; }
        await sys.print(ports.join(' '), code);
      }`);
    expect(result.stdout).toBe('7 13 21 22 23 25 37 79 80 80 443 ENOENT\n');
  });

  test('socket calls check their arguments: EINVAL for bad domains and addresses, ENOTSOCK for other files', async () => {
    const result = await run(`
      export default async function main(sys) {
        const codes = [];
        const s = await sys.socket('inet', 'stream');
        const [r] = await sys.pipe();
        for (const attempt of [
          () => sys.socket('inet6', 'stream'), () => sys.socket('inet', 'raw'), () => sys.bind(s, { path: '/tmp/x' }),
          () => sys.bind(s, { port: 70000 }), () => sys.accept(s), () => sys.listen(r, 1), () => sys.recvfrom(s),
          async () => sys.listen(await sys.socket('inet', 'dgram'), 1), () => sys.bind(s, { host: '10.0.0.2', port: 1 }),
        ]) {
          try { await attempt(); codes.push('ok'); } catch (e) { codes.push(e.code); }
        }
        await sys.print(codes.join(' '));
      }`);
    expect(result.stdout).toBe('EINVAL EINVAL EINVAL EINVAL EINVAL ENOTSOCK EOPNOTSUPP EOPNOTSUPP EADDRNOTAVAIL\n');
  });

  test('socket calls reject with ENOSYS when the exercise has not enabled the socket group', async () => {
    const result = await run(`
      export default async function main(sys) {
        try { await sys.socket('inet', 'stream'); } catch (e) { await sys.print(e.code); }
      }`, { enable: ['fd'] });
    expect(result.stdout).toBe('ENOSYS\n');
  });
});

describe('hosts', () => {
  test('a server on 10.0.0.1 serves clients on 10.0.0.2 and 10.0.0.3, each host numbering its processes from 2', async () => {
    const server = `
      export default async function main(sys) {
        const s = await sys.socket('inet', 'stream');
        await sys.bind(s, { host: await sys.hostaddr(), port: 7 });
        await sys.listen(s, 2);
        for (let i = 0; i < 2; i++) {
          const { fd, peer } = await sys.accept(s);
          let name = '';
          for (let chunk; !name.endsWith('\\n');) {
            chunk = await sys.recv(fd, 100);
            if (chunk === '') break;
            name += chunk;
          }
          await sys.send(fd, 'hello ' + name.trim() + ' at ' + peer.host);
          await sys.close(fd);
        }
      }`;
    const client = `
      ${CONNECT}
      export default async function main(sys) {
        const me = await sys.hostaddr();
        const c = await sys.socket('inet', 'stream');
        await connectWhenListening(sys, c, { host: '10.0.0.1', port: await sys.getservbyname('echo', 'tcp') });
        await sys.send(c, 'pid ' + sys.getpid() + '\\n');
        let reply = '';
        for (let chunk; (chunk = await sys.recv(c, 100)) !== '';) reply += chunk;
        await sys.print(me + ': ' + reply);
      }`;
    for (const seed of [1, 2, 3]) {
      const result = await onHosts([['10.0.0.1', server], ['10.0.0.2', client], ['10.0.0.3', client]], { seed, schedule: 'random' });
      expect(result.status).toBe('ok');
      expect(result.processes.map((p) => [p.host, p.pid, p.ppid, p.status])).toEqual([
        ['10.0.0.1', 2, 1, 0], ['10.0.0.2', 2, 1, 0], ['10.0.0.3', 2, 1, 0],
      ]);
      expect(result.processes[1].stdout).toBe('10.0.0.2: hello pid 2 at 10.0.0.2\n');
      expect(result.processes[2].stdout).toBe('10.0.0.3: hello pid 2 at 10.0.0.3\n');
    }
  });

  test('a fork on another host takes that host\'s next pid, and the trace names its threads with the host', async () => {
    const result = await onHosts([['10.0.0.1', `export default async function main(sys) { await sys.yield(); }`], ['10.0.0.2', `
      export default async function main(sys) {
        if (await sys.fork() === 0) return 0;
        await sys.wait();
      }`]], { trace: true });
    expect(result.processes.map((p) => `${p.host}/${p.pid}`)).toEqual(['10.0.0.1/2', '10.0.0.2/2', '10.0.0.2/3']);
    expect(result.trace!.some((entry) => entry.thread === '10.0.0.2:3:3')).toBe(true);
  });

  test('hosts named in the run options exist without a program', async () => {
    const program = `
      export default async function main(sys) {
        const c = await sys.socket('inet', 'stream');
        try { await sys.connect(c, { host: '10.0.0.5', port: 7 }); } catch (e) { await sys.print(e.message); }
      }`;
    const declared = await run(program, { hosts: ['10.0.0.5'] });
    expect(declared.stdout).toMatch(/nobody listens on 10\.0\.0\.5:7/);
    const undeclared = await run(program);
    expect(undeclared.stdout).toMatch(/there is no host 10\.0\.0\.5/);
  });

  test('first processes on different hosts draw different Math.random numbers', async () => {
    const program = 'export default async function main(sys) { await sys.print(Math.random()); }';
    const result = await runKernel({
      hosts: ['10.0.0.2', '10.0.0.3'],
      programs: ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((host) => ({ host, module: moduleFrom(program) })),
    });
    expect(new Set(result.processes.map((p) => p.stdout)).size).toBe(3);
  });
});

describe('datagram sockets', () => {
  test('recvfrom keeps datagram boundaries and names the sender; an unbound sender gets an ephemeral port', async () => {
    const result = await run(`
      export default async function main(sys) {
        const server = await sys.socket('inet', 'dgram');
        await sys.bind(server, { port: 9999 });
        const client = await sys.socket('inet', 'dgram');
        await sys.sendto(client, 'first datagram', { host: '10.0.0.1', port: 9999 });
        await sys.sendto(client, 'second', { port: 9999 });
        const a = await sys.recvfrom(server);
        const b = await sys.recvfrom(server);
        await sys.sendto(server, 'reply', a.from);
        const c = await sys.recvfrom(client);
        await sys.print(JSON.stringify([a, b, c]));
      }`);
    expect(JSON.parse(result.stdout)).toEqual([
      { data: 'first datagram', from: { host: '10.0.0.1', port: 49152 } },
      { data: 'second', from: { host: '10.0.0.1', port: 49152 } },
      { data: 'reply', from: { host: '10.0.0.1', port: 9999 } },
    ]);
  });

  test('recvfrom and recv with {nowait} fail with EAGAIN while nothing has arrived, then receive normally', async () => {
    const result = await run(`
      const code = (p) => p.then(() => 'ok', (e) => e.code);
      export default async function main(sys) {
        const server = await sys.socket('inet', 'dgram');
        await sys.bind(server, { port: 9999 });
        const before = await code(sys.recvfrom(server, { nowait: true }));
        const beforeRecv = await code(sys.recv(server, 10, { nowait: true }));
        const client = await sys.socket('inet', 'dgram');
        await sys.sendto(client, 'hi', { port: 9999 });
        const after = await sys.recvfrom(server, { nowait: true });
        await sys.print(before, beforeRecv, after.data);
      }`);
    expect(result.stdout).toBe('EAGAIN EAGAIN hi\n');
  });

  test('recv with {nowait} on a stream fails with EAGAIN until data is there', async () => {
    const result = await run(`
      const code = (p) => p.then((v) => v, (e) => e.code);
      export default async function main(sys) {
        const listener = await sys.socket('inet', 'stream');
        await sys.bind(listener, { port: 7000 });
        await sys.listen(listener, 1);
        const client = await sys.socket('inet', 'stream');
        await sys.connect(client, { port: 7000 });
        const { fd } = await sys.accept(listener);
        const before = await code(sys.recv(fd, 1, { nowait: true }));
        await sys.send(client, 'x');
        await sys.print(before, await code(sys.recv(fd, 1, { nowait: true })));
      }`);
    expect(result.stdout).toBe('EAGAIN x\n');
  });

  test('a datagram sent to a port nobody bound is dropped silently', async () => {
    const result = await run(`
      export default async function main(sys) {
        const s = await sys.socket('inet', 'dgram');
        const n = await sys.sendto(s, 'into the void', { port: 4444 });
        await sys.sendto(s, 'to nowhere', { host: '10.9.9.9', port: 4444 });
        await sys.print('sent ' + n);
      }`);
    expect(result.stdout).toBe('sent 13\n');
  });

  test('connecting a datagram socket sets where send goes and what getpeername reports', async () => {
    const result = await run(`
      export default async function main(sys) {
        const server = await sys.socket('unix', 'dgram');
        await sys.bind(server, { path: '/tmp/logd' });
        const client = await sys.socket('unix', 'dgram');
        await sys.connect(client, { path: '/tmp/logd' });
        await sys.send(client, 'via send');
        await sys.write(client, 'via write');
        const one = await sys.recvfrom(server);
        const two = await sys.recv(server, 3);
        await sys.print(JSON.stringify([one, two, await sys.getpeername(client)]));
      }`);
    expect(JSON.parse(result.stdout)).toEqual([{ data: 'via send', from: { path: null } }, 'via', { path: '/tmp/logd' }]);
  });

  test('unix datagrams and datagrams within one host are reliable and in order whatever the network faults', async () => {
    const program = (domain: string): string => `
      export default async function main(sys) {
        const addr = ${domain === 'unix' ? "{ path: '/tmp/d' }" : '{ port: 5353 }'};
        const r = await sys.socket('${domain}', 'dgram');
        await sys.bind(r, addr);
        if (await sys.fork() === 0) {
          const s = await sys.socket('${domain}', 'dgram');
          for (let i = 0; i < 40; i++) await sys.sendto(s, String(i), addr);
          return 0;
        }
        const got = [];
        for (let i = 0; i < 40; i++) got.push((await sys.recvfrom(r)).data);
        await sys.print(got.join(','));
        await sys.wait();
      }`;
    const expected = Array.from({ length: 40 }, (_, i) => i).join(',') + '\n';
    for (const seed of [1, 2, 3, 4, 5]) {
      for (const domain of ['unix', 'inet']) {
        const result = await run(program(domain), { seed, schedule: 'random', network: { loss: 0.5, duplicate: 0.5, reorder: 0.5 } });
        expect({ seed, domain, stdout: result.stdout }).toEqual({ seed, domain, stdout: expected });
      }
    }
  });

  test('between hosts the seed decides which datagrams are lost, duplicated or reordered, the same way for the same seed', async () => {
    const receiver = `
      export default async function main(sys) {
        const r = await sys.socket('inet', 'dgram');
        await sys.bind(r, { port: 5000 });
        const got = [];
        await sys.thread(async () => { for (;;) got.push((await sys.recvfrom(r)).data); });
        await sys.sleep(1000);
        await sys.print(got.join(','));
        await sys.exit(0);
      }`;
    const sender = `
      export default async function main(sys) {
        const s = await sys.socket('inet', 'dgram');
        for (let i = 0; i < 30; i++) await sys.sendto(s, String(i), { host: '10.0.0.1', port: 5000 });
      }`;
    const network = { loss: 0.2, duplicate: 0.1, reorder: 0.2 };
    const received = async (seed: number): Promise<number[]> => {
      const result = await onHosts([['10.0.0.1', receiver], ['10.0.0.2', sender]], { seed, network });
      expect(result.status).toBe('ok');
      return result.stdout.trim().split(',').filter(Boolean).map(Number);
    };
    const runs = [];
    for (let seed = 1; seed <= 8; seed++) runs.push(await received(seed));
    expect(await received(1)).toEqual(runs[0]);
    expect(new Set(runs.map((r) => r.join(','))).size).toBeGreaterThan(1);
    expect(runs.some((r) => new Set(r).size < 30)).toBe(true);
    expect(runs.some((r) => new Set(r).size < r.length)).toBe(true);
    expect(runs.some((r) => r.some((value, i) => i > 0 && value < r[i - 1]))).toBe(true);
    const clean = await onHosts([['10.0.0.1', receiver], ['10.0.0.2', sender]], { seed: 1 });
    expect(clean.stdout).toBe(Array.from({ length: 30 }, (_, i) => i).join(',') + '\n');
  });

  test('a recvfrom nothing will reach is reported as a deadlock', async () => {
    const result = await run(`
      export default async function main(sys) {
        const r = await sys.socket('inet', 'dgram');
        await sys.bind(r, { port: 6000 });
        await sys.recvfrom(r);
      }`);
    expect(result.status).toBe('deadlock');
    expect(result.deadlock!.blocked[0].detail).toBe('recvfrom on 10.0.0.1:6000 waits for a datagram; none is on its way');
  });
});

describe('happens-before', () => {
  const handOff = (domain: string, type: string, waitForIt: boolean): string => `
    export default async function main(sys) {
      const seg = await sys.shmat(await sys.shmget(1, 1));
      const addr = ${domain === 'unix' ? "{ path: '/tmp/hb' }" : '{ port: 7 }'};
      const s = await sys.socket('${domain}', '${type}');
      await sys.bind(s, addr);
      ${type === 'stream' ? 'await sys.listen(s, 1);' : ''}
      if (await sys.fork() === 0) {
        const c = await sys.socket('${domain}', '${type}');
        ${type === 'stream' ? 'await sys.connect(c, addr);' : ''}
        await seg.store(0, 42);
        ${type === 'stream' ? "await sys.send(c, 'done');" : "await sys.sendto(c, 'done', addr);"}
        return 0;
      }
      ${!waitForIt ? '' : type === 'stream' ? 'const { fd } = await sys.accept(s); await sys.recv(fd, 1);' : 'await sys.recvfrom(s);'}
      await sys.print(await seg.load(0));
      await sys.wait();
    }`;

  test('a send (or sendto) orders what the sender did before it with what the receiver does after its recv', async () => {
    for (const [domain, type] of [['inet', 'stream'], ['unix', 'stream'], ['inet', 'dgram'], ['unix', 'dgram']]) {
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const result = await run(handOff(domain, type, true), { schedule: 'random', seed });
        expect({ domain, type, seed, stdout: result.stdout, races: result.races }).toEqual({ domain, type, seed, stdout: '42\n', races: [] });
      }
    }
    const unordered = await run(handOff('inet', 'stream', false));
    expect(unordered.races).toHaveLength(1);
  });
});

describe('the trace', () => {
  test('every delivered segment and datagram draws an arrow from the sending thread to the receiving one', async () => {
    const result = await onHosts([['10.0.0.1', RECEIVE_ALL_SERVER], ['10.0.0.2', `
      ${CONNECT}
      export default async function main(sys) {
        const c = await sys.socket('inet', 'stream');
        await connectWhenListening(sys, c, { host: '10.0.0.1', port: 7 });
        await sys.send(c, 'traced');
        await sys.close(c);
        const d = await sys.socket('inet', 'dgram');
        await sys.bind(d, { port: 53 });
        const s = await sys.socket('inet', 'dgram');
        await sys.sendto(s, 'local', { port: 53 });
        await sys.recvfrom(d);
      }`]], { trace: true });
    const arrows = result.trace!.filter((entry) => entry.message).map((entry) => entry.message!);
    expect(arrows.map((arrow) => arrow.data).join('')).toBe('tracedlocal');
    for (const arrow of arrows.slice(0, -1)) {
      expect(arrow).toMatchObject({ from: '10.0.0.2:2:2', to: '2:2', channel: 'tcp 10.0.0.2:49152 → 10.0.0.1:7' });
    }
    expect(arrows[arrows.length - 1]).toEqual({ from: '10.0.0.2:2:2', to: '10.0.0.2:2:2', channel: 'udp 10.0.0.2:53', data: 'local' });
  });
});

describe('stream socket I/O counts are scheduling decisions', () => {
  /** Two clients each send one 30-character record; the server prints the sizes of what each recv returned, then all of it. */
  const server = `
    export default async function main(sys) {
      const s = await sys.socket('unix', 'stream');
      await sys.bind(s, { path: '/tmp/sizes' });
      await sys.listen(s, 2);
      for (const letter of ['a', 'b']) if (await sys.fork() === 0) {
        const c = await sys.socket('unix', 'stream');
        await sys.connect(c, { path: '/tmp/sizes' });
        await sys.send(c, letter.repeat(30));
        await sys.close(c);
        return 0;
      }
      const sizes = [];
      for (let k = 0; k < 2; k++) {
        const { fd } = await sys.accept(s);
        for (let chunk; (chunk = await sys.recv(fd, 100)) !== '';) sizes.push(chunk.length);
        await sys.close(fd);
      }
      await sys.wait(); await sys.wait();
      await sys.print(sizes.join(','));
    }`;

  test('round robin cuts a stream where the seed says, as before; random and pct choose their cuts and sends, and replay repeats them', async () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const sampled = await Promise.all(seeds.flatMap((seed) => [run(server, { schedule: 'random', seed }), run(server, { schedule: 'pct', seed })]));
    expect(sampled.every((result) => result.status === 'ok')).toBe(true);
    expect(new Set(sampled.map((result) => result.stdout)).size).toBeGreaterThan(1);
    const counted = sampled.filter((result) => result.decisions.some((decision) => decision.includes('@')));
    expect(counted.length).toBeGreaterThan(0);
    for (const result of counted.slice(0, 4)) {
      const replayed = await run(server, { schedule: 'replay', decisions: result.decisions, seed: result.seed });
      expect(replayed.stdout).toBe(result.stdout);
    }
    // Round robin records no count: its cuts come from the run's seed, as they always did.
    expect((await run(server)).decisions.some((decision) => decision.includes('@'))).toBe(false);
  });
});
