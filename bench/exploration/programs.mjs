/**
 * Concurrency-bug programs in the style of SCTBench and SV-COMP's pthread
 * benchmarks, written for `sys` (not copied): each a buggy version and a
 * correct variant, and a property the buggy one violates under some
 * schedules. Shared data goes through kernel objects (shared-memory cells,
 * pipes), as in the exercises. `props` is the harness's.
 */

/** Runs a thread body over a shared segment; the main thread joins them and checks. */
const withCell = (cells, body) => `
export default async function main(sys) {
  const cell = await sys.shmat(await sys.shmget('shared', ${cells}));
  ${body}
}`;

export const PROGRAMS = [
  {
    name: 'lost-update',
    about: 'two threads increment a shared cell three times each with load then store',
    property: (props) => props.stdoutIs('6\n'),
    buggy: withCell(1, `
      const add = async (late) => { for (let i = 0; i < late; i++) await sys.yield(); for (let i = 0; i < 3; i++) { const v = await cell.load(0); await cell.store(0, v + 1); } };
      const a = await sys.thread(add, 0); const b = await sys.thread(add, 8);
      await sys.join(a); await sys.join(b);
      await sys.print(await cell.load(0));`),
    correct: withCell(1, `
      const add = async (late) => { for (let i = 0; i < late; i++) await sys.yield(); for (let i = 0; i < 3; i++) await cell.add(0, 1); };
      const a = await sys.thread(add, 0); const b = await sys.thread(add, 8);
      await sys.join(a); await sys.join(b);
      await sys.print(await cell.load(0));`),
  },
  {
    name: 'peterson-wrong-order',
    about: "Peterson's lock with turn given away before the flag is raised (the store order a missing fence allows)",
    property: (props) => props.custom('mutual exclusion', (run) => (run.stdout.includes('both') ? 'both threads were in the critical section' : null)),
    buggy: withCell(4, `
      // cells: 0, 1 flags; 2 turn; 3 how many are inside
      const enter = async (me) => {
        const other = 1 - me;
        await cell.store(2, other);
        await cell.store(me, 1);
        while ((await cell.load(other)) === 1 && (await cell.load(2)) === other) {}
      };
      const body = async (me) => {
        await enter(me);
        if ((await cell.add(3, 1)) !== 0) await sys.print('both');
        await cell.add(3, -1);
        await cell.store(me, 0);
      };
      const a = await sys.thread(body, 0); const b = await sys.thread(body, 1);
      await sys.join(a); await sys.join(b);`),
    correct: withCell(4, `
      const enter = async (me) => {
        const other = 1 - me;
        await cell.store(me, 1);
        await cell.store(2, other);
        while ((await cell.load(other)) === 1 && (await cell.load(2)) === other) {}
      };
      const body = async (me) => {
        await enter(me);
        if ((await cell.add(3, 1)) !== 0) await sys.print('both');
        await cell.add(3, -1);
        await cell.store(me, 0);
      };
      const a = await sys.thread(body, 0); const b = await sys.thread(body, 1);
      await sys.join(a); await sys.join(b);`),
  },
  {
    name: 'abba-deadlock',
    about: 'two threads take two mutexes in opposite orders',
    property: (props) => props.noDeadlock(),
    buggy: `
export default async function main(sys) {
  const a = await sys.mutex_init(); const b = await sys.mutex_init();
  const t1 = await sys.thread(async () => { await sys.mutex_lock(a); await sys.mutex_lock(b); await sys.mutex_unlock(b); await sys.mutex_unlock(a); });
  const t2 = await sys.thread(async () => { await sys.mutex_lock(b); await sys.mutex_lock(a); await sys.mutex_unlock(a); await sys.mutex_unlock(b); });
  await sys.join(t1); await sys.join(t2);
}`,
    correct: `
export default async function main(sys) {
  const a = await sys.mutex_init(); const b = await sys.mutex_init();
  const t1 = await sys.thread(async () => { await sys.mutex_lock(a); await sys.mutex_lock(b); await sys.mutex_unlock(b); await sys.mutex_unlock(a); });
  const t2 = await sys.thread(async () => { await sys.mutex_lock(a); await sys.mutex_lock(b); await sys.mutex_unlock(b); await sys.mutex_unlock(a); });
  await sys.join(t1); await sys.join(t2);
}`,
  },
  {
    name: 'order-violation',
    about: 'a worker reads a setting the main thread stores only after starting it (use before initialisation)',
    property: (props) => props.stdoutIs('42\n'),
    buggy: withCell(1, `
      const worker = await sys.thread(async () => { await sys.yield(); await sys.print(await cell.load(0)); });
      await cell.store(0, 42);
      await sys.join(worker);`),
    correct: withCell(1, `
      const ready = await sys.sem_init(0);
      const worker = await sys.thread(async () => { await sys.yield(); await sys.sem_wait(ready); await sys.print(await cell.load(0)); });
      await cell.store(0, 42);
      await sys.sem_post(ready);
      await sys.join(worker);`),
  },
  {
    name: 'short-read-as-eof',
    about: 'a pipe reader stops at the first read shorter than it asked for (pipe-message)',
    property: (props) => props.stdoutIs('hello, world\n'),
    buggy: `
export default async function main(sys) {
  const [r, w] = await sys.pipe();
  if (await sys.fork() === 0) { await sys.close(r); await sys.write(w, 'hello, world'); await sys.close(w); return 0; }
  await sys.close(w);
  let text = '';
  for (;;) { const chunk = await sys.read(r, 64); text += chunk; if (chunk.length < 64) break; }
  await sys.print(text);
  await sys.wait();
}`,
    correct: `
export default async function main(sys) {
  const [r, w] = await sys.pipe();
  if (await sys.fork() === 0) { await sys.close(r); await sys.write(w, 'hello, world'); await sys.close(w); return 0; }
  await sys.close(w);
  let text = '';
  for (let chunk = await sys.read(r, 64); chunk !== ''; chunk = await sys.read(r, 64)) text += chunk;
  await sys.print(text);
  await sys.wait();
}`,
  },
  {
    name: 'torn-long-writes',
    about: 'two writers send 24-character records (PIPE_BUF is 16) and the reader expects each record whole',
    property: (props) => props.custom('records whole', (run) => (/^((a{24}|b{24}))+\n$/.test(run.stdout) ? null : `records arrived torn: ${JSON.stringify(run.stdout)}`)),
    buggy: `
export default async function main(sys) {
  const [r, w] = await sys.pipe();
  for (const letter of ['a', 'b']) if (await sys.fork() === 0) { await sys.close(r); await sys.write(w, letter.repeat(24)); return 0; }
  await sys.close(w);
  let text = '';
  for (let chunk = await sys.read(r, 100); chunk !== ''; chunk = await sys.read(r, 100)) text += chunk;
  await sys.wait(); await sys.wait();
  await sys.print(text);
}`,
    correct: `
export default async function main(sys) {
  const [r, w] = await sys.pipe();
  // Records of at most PIPE_BUF characters are written atomically: 12 + 12.
  for (const letter of ['a', 'b']) if (await sys.fork() === 0) { await sys.close(r); await sys.write(w, letter.repeat(12)); await sys.write(w, letter.repeat(12)); return 0; }
  await sys.close(w);
  let text = '';
  for (let chunk = await sys.read(r, 100); chunk !== ''; chunk = await sys.read(r, 100)) text += chunk;
  await sys.wait(); await sys.wait();
  const pieces = text.match(/a{12}|b{12}/g) ?? [];
  const records = { a: 0, b: 0 };
  for (const piece of pieces) records[piece[0]]++;
  await sys.print(records.a === 2 && records.b === 2 && pieces.join('') === text ? 'a'.repeat(24) + 'b'.repeat(24) : text);
}`,
  },
  {
    name: 'bounded-buffer-no-mutex',
    about: 'two producers share a semaphore-guarded ring buffer but update the in-index without a mutex',
    property: (props) => props.stdoutIs('1 2 3 4\n'),
    buggy: withCell(6, `
      // cells: 0 in, 1 out, 2..5 slots
      const empty = await sys.sem_init(4); const full = await sys.sem_init(0);
      const produce = async (items) => { for (const item of items) {
        await sys.sem_wait(empty);
        const at = await cell.load(0);
        await cell.store(2 + at % 4, item);
        await cell.store(0, at + 1);
        await sys.sem_post(full);
      } };
      const p1 = await sys.thread(produce, [1, 3]); const p2 = await sys.thread(produce, [2, 4]);
      const got = [];
      for (let i = 0; i < 4; i++) { await sys.sem_wait(full); const out = await cell.load(1); got.push(await cell.load(2 + out % 4)); await cell.store(1, out + 1); await sys.sem_post(empty); }
      await sys.join(p1); await sys.join(p2);
      await sys.print(got.sort().join(' '));`),
    correct: withCell(6, `
      const empty = await sys.sem_init(4); const full = await sys.sem_init(0); const lock = await sys.mutex_init();
      const produce = async (items) => { for (const item of items) {
        await sys.sem_wait(empty);
        await sys.mutex_lock(lock);
        const at = await cell.load(0);
        await cell.store(2 + at % 4, item);
        await cell.store(0, at + 1);
        await sys.mutex_unlock(lock);
        await sys.sem_post(full);
      } };
      const p1 = await sys.thread(produce, [1, 3]); const p2 = await sys.thread(produce, [2, 4]);
      const got = [];
      for (let i = 0; i < 4; i++) { await sys.sem_wait(full); await sys.mutex_lock(lock); const out = await cell.load(1); got.push(await cell.load(2 + out % 4)); await cell.store(1, out + 1); await sys.mutex_unlock(lock); await sys.sem_post(empty); }
      await sys.join(p1); await sys.join(p2);
      await sys.print(got.sort().join(' '));`),
  },
  {
    name: 'bounded-buffer-if-wait',
    about: 'two consumers wait on a condition variable with if instead of while: a woken consumer finds the item taken',
    property: (props) => props.custom('no empty take', (run) => (run.stdout.includes('empty') ? 'a consumer took from an empty buffer' : null)),
    buggy: withCell(1, `
      // cell 0: items in the buffer
      const lock = await sys.mutex_init(); const nonEmpty = await sys.cond_init();
      const consume = async () => {
        await sys.mutex_lock(lock);
        if ((await cell.load(0)) === 0) await sys.cond_wait(nonEmpty, lock);
        if ((await cell.load(0)) === 0) await sys.print('empty');
        else await cell.store(0, (await cell.load(0)) - 1);
        await sys.mutex_unlock(lock);
      };
      const c1 = await sys.thread(consume); const c2 = await sys.thread(consume);
      for (let i = 0; i < 2; i++) { await sys.mutex_lock(lock); await cell.store(0, (await cell.load(0)) + 1); await sys.cond_signal(nonEmpty); await sys.mutex_unlock(lock); }
      await sys.join(c1); await sys.join(c2);`),
    correct: withCell(1, `
      const lock = await sys.mutex_init(); const nonEmpty = await sys.cond_init();
      const consume = async () => {
        await sys.mutex_lock(lock);
        while ((await cell.load(0)) === 0) await sys.cond_wait(nonEmpty, lock);
        await cell.store(0, (await cell.load(0)) - 1);
        await sys.mutex_unlock(lock);
      };
      const c1 = await sys.thread(consume); const c2 = await sys.thread(consume);
      for (let i = 0; i < 2; i++) { await sys.mutex_lock(lock); await cell.store(0, (await cell.load(0)) + 1); await sys.cond_signal(nonEmpty); await sys.mutex_unlock(lock); }
      await sys.join(c1); await sys.join(c2);`),
  },
  {
    name: 'lost-wakeup',
    about: 'a waiter checks a flag without the mutex and then waits: the signal can come in between (deadlock)',
    property: (props) => props.noDeadlock(),
    buggy: withCell(1, `
      const lock = await sys.mutex_init(); const done = await sys.cond_init();
      const waiter = await sys.thread(async () => {
        await sys.yield();
        if ((await cell.load(0)) === 0) { await sys.mutex_lock(lock); await sys.cond_wait(done, lock); await sys.mutex_unlock(lock); }
      });
      await sys.mutex_lock(lock); await cell.store(0, 1); await sys.cond_signal(done); await sys.mutex_unlock(lock);
      await sys.join(waiter);`),
    correct: withCell(1, `
      const lock = await sys.mutex_init(); const done = await sys.cond_init();
      const waiter = await sys.thread(async () => {
        await sys.yield();
        await sys.mutex_lock(lock);
        while ((await cell.load(0)) === 0) await sys.cond_wait(done, lock);
        await sys.mutex_unlock(lock);
      });
      await sys.mutex_lock(lock); await cell.store(0, 1); await sys.cond_signal(done); await sys.mutex_unlock(lock);
      await sys.join(waiter);`),
  },
  {
    name: 'two-stage-2-preemptions',
    about: 'SV-COMP twostage-like: a reader sees stage one done and stage two not yet (needs two preemptions)',
    property: (props) => props.custom('stages consistent', (run) => (run.stdout.includes('inconsistent') ? 'the reader saw stage 1 without stage 2' : null)),
    buggy: withCell(2, `
      // cells: 0 data1, 1 data2; each stage under its own critical section, the pair is not atomic
      const lock = await sys.mutex_init();
      const writer = await sys.thread(async () => {
        await sys.mutex_lock(lock); await cell.store(0, 1); await sys.mutex_unlock(lock);
        await sys.mutex_lock(lock); await cell.store(1, (await cell.load(0)) + 1); await sys.mutex_unlock(lock);
      });
      const reader = await sys.thread(async () => {
        await sys.mutex_lock(lock); const d1 = await cell.load(0); await sys.mutex_unlock(lock);
        await sys.mutex_lock(lock); const d2 = await cell.load(1); await sys.mutex_unlock(lock);
        if (d1 === 1 && d2 !== 2) await sys.print('inconsistent');
      });
      await sys.join(writer); await sys.join(reader);`),
    correct: withCell(2, `
      const lock = await sys.mutex_init();
      const writer = await sys.thread(async () => {
        await sys.mutex_lock(lock); await cell.store(0, 1); await cell.store(1, (await cell.load(0)) + 1); await sys.mutex_unlock(lock);
      });
      const reader = await sys.thread(async () => {
        await sys.mutex_lock(lock); const d1 = await cell.load(0); const d2 = await cell.load(1); await sys.mutex_unlock(lock);
        if (d1 === 1 && d2 !== 2) await sys.print('inconsistent');
      });
      await sys.join(writer); await sys.join(reader);`),
  },
  {
    name: 'fib-bench-deep',
    about: 'SV-COMP fib_bench-like: two threads add each other\'s cell five times; only a strict alternation reaches the bound (many preemptions)',
    property: (props) => props.custom('below the bound', (run) => (run.stdout.includes('reached') ? 'a cell reached fib(12) = 144' : null)),
    buggy: withCell(2, `
      await cell.store(0, 1); await cell.store(1, 1);
      const step = async (mine, theirs, late) => { for (let i = 0; i < late; i++) await sys.yield(); for (let k = 0; k < 5; k++) { const sum = (await cell.load(mine)) + (await cell.load(theirs)); await cell.store(mine, sum); } };
      const a = await sys.thread(step, 0, 1, 0); const b = await sys.thread(step, 1, 0, 4);
      await sys.join(a); await sys.join(b);
      if ((await cell.load(0)) >= 144 || (await cell.load(1)) >= 144) await sys.print('reached');`),
    correct: withCell(2, `
      await cell.store(0, 1); await cell.store(1, 1);
      const lock = await sys.mutex_init();
      // Each thread's five additions run as one critical section: the cells stay far below fib(12).
      const step = async (mine, theirs) => { await sys.mutex_lock(lock); for (let k = 0; k < 5; k++) { const sum = (await cell.load(mine)) + (await cell.load(theirs)); await cell.store(mine, sum); } await sys.mutex_unlock(lock); };
      const a = await sys.thread(step, 0, 1); const b = await sys.thread(step, 1, 0);
      await sys.join(a); await sys.join(b);
      if ((await cell.load(0)) >= 144 || (await cell.load(1)) >= 144) await sys.print('reached');`),
  },
];
