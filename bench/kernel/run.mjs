/**
 * The kernel benchmark: four figures measured in one run, each against a
 * baseline measured in the same run (see bench/README.md for what they mean).
 *
 *   a. pipe ping-pong round trips per second, simulated vs two real Node processes
 *   b. runs per second of a 20-item producer/consumer under `random` (isolated-vm and in Node)
 *   c. mailbox request/reply round trips per second
 *   d. runs per second of a semaphore bounded buffer on shared memory, race detection on vs off
 *
 *   node --no-node-snapshot bench/kernel/run.mjs [--quick] [--json FILE]
 *
 * Prints a table, then `JSON summary:` and the figures as JSON (also written
 * to FILE with --json). Needs `npm run build` first (dist/isolate-runtime.js).
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setImmediate, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { loadLib } from '../support/build.mjs';
import { breathe, count, machine, median, now, printTable, rate, ratio } from '../support/measure.mjs';
import { boundedBuffer, mailboxRpc, pingPong, producerConsumer, racyCell } from './programs.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonFile = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;

const PEER = fileURLToPath(new URL('./os-peer.mjs', import.meta.url));
/** Round trips in one run of (a) and (c): long enough that start-up is noise. */
const ROUNDS = quick ? 2_000 : 20_000;
/** Measured repetitions of each long run, interleaved across the variants. */
const REPS = quick ? 2 : 5;
/** Time boxes of the runs-per-second figures, in ms, and how many interleaved rounds. */
const BOX = quick ? 300 : 1_000;
const ROUNDS_OF_BOXES = quick ? 2 : 5;
/** Warm-up of each path before it is measured: the JIT needs about a second to settle. */
const WARM_UP_MS = quick ? 300 : 1_500;
/** Items each producer of (d) makes. */
const BUFFER_ITEMS = 10;
/** Limits of the isolate for the long runs of (a) and (c); (b) and (d) run with the grader's defaults. */
const LONG_RUN_LIMITS = { cpuMs: 60_000, memoryMb: 256 };

const lib = await loadLib();
const startedAt = now();
const seen = { machine: machine() };
/** Every run gets a seed of its own. */
let nextSeed = 1;

// ---- drivers ------------------------------------------------------------------------------

/**
 * One run of the kernel directly in this Node process, as the kernel's tests
 * run it. A run of these programs ends within the microtasks that start() sets
 * off; the one watcher (a macrotask) only matters for a run that stalls, and
 * there is never more than one: a watcher per run would pile up, each holding
 * its kernel, while a tight loop of runs never yields to the event loop.
 */
function runInNode(program, argv, settings) {
  const module = moduleOf(program);
  return new Promise((resolve) => {
    const kernel = new lib.Kernel({ ...settings, programs: [{ module, argv }] });
    kernel.onFinish = () => resolve(kernel.result());
    current = kernel;
    kernel.start();
    if (!watching) {
      watching = true;
      setImmediate(watch);
    }
  });
}

let current = null;
let watching = false;
function watch() {
  watching = false;
  if (!current || current.finished) return;
  current.idle();
  watching = true;
  setImmediate(watch);
}

const modules = new Map();
function moduleOf(program) {
  if (!modules.has(program)) modules.set(program, lib.moduleFrom(program.source));
  return modules.get(program);
}

/** A grading session (isolated-vm, one context) holding `program`, as the grader runs a submission. */
async function openSession(program, limits = {}) {
  const session = await lib.GradingSession.open([program], limits);
  if ('compileError' in session) throw new Error(`${program.fileName}: ${session.compileError}`);
  return {
    run: (argv, settings) => session.runOne({ programs: [{ entry: 'default', argv }], settings }),
    close: () => session.close(),
  };
}

function checked(program, run, arg) {
  if (!program.check(run, arg)) {
    throw new Error(`${program.fileName} did not do its job (status ${run.status}): ${run.message ?? JSON.stringify(run.stdout)}`);
  }
  return run;
}

// ---- real processes -------------------------------------------------------------------------

function peer(mode, rounds, stdio) {
  const child = spawn(process.execPath, [PEER, mode, String(rounds)], { stdio });
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`os-peer ${mode} exited with ${code} before it was ready`)));
  });
  return { child, ready };
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
}

/**
 * Two processes that block in read(2)/write(2), joined by two channels. `wire`
 * gives the stdio of the server (who starts each round trip) and of the echo.
 */
async function blockingPingPong(rounds, wire) {
  const { serverStdio, echoStdio, afterSpawn } = wire();
  const server = peer('serve-blocking', rounds, serverStdio);
  const echo = peer('echo-blocking', rounds, echoStdio(server.child));
  afterSpawn(server.child);
  await Promise.all([server.ready, echo.ready]);
  const elapsed = new Promise((resolve, reject) => {
    server.child.once('message', (ns) => resolve(Number(ns) / 1e6));
    server.child.once('exit', (code) => reject(new Error(`os-peer serve-blocking exited with ${code} before reporting`)));
  });
  server.child.send('go');
  const ms = await elapsed;
  await Promise.all([exited(server.child), exited(echo.child)]);
  return ms;
}

/**
 * What child_process's stdio 'pipe' makes (on Linux libuv makes it an AF_UNIX
 * socketpair): the server's stdin and stdout, handed to the echo as its stdout
 * and stdin; this process then closes its own ends, so the two talk directly.
 */
const stdioPipes = () => ({
  serverStdio: ['pipe', 'pipe', 'inherit', 'ipc'],
  echoStdio: (server) => [server.stdout, server.stdin, 'inherit', 'ipc'],
  afterSpawn: (server) => {
    server.stdout.destroy();
    server.stdin.destroy();
  },
});

/** Two named pipes (mkfifo): kernel pipe(2) buffers, as a shell pipeline uses. */
function fifoPipes() {
  const dir = mkdtempSync(path.join(tmpdir(), 'rendezvous-bench-'));
  const ping = path.join(dir, 'ping');
  const pong = path.join(dir, 'pong');
  execFileSync('mkfifo', [ping, pong]);
  // O_RDWR opens a FIFO at once on Linux, without waiting for the other side.
  const pingFd = openSync(ping, 'r+');
  const pongFd = openSync(pong, 'r+');
  return {
    serverStdio: [pongFd, pingFd, 'inherit', 'ipc'],
    echoStdio: () => [pingFd, pongFd, 'inherit', 'ipc'],
    afterSpawn: () => {
      closeSync(pingFd);
      closeSync(pongFd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** This process and a child, both on the event loop: child.stdin/stdout here, process.stdin/stdout there. */
async function streamPingPong(rounds) {
  const echo = peer('echo-stream', rounds, ['pipe', 'pipe', 'inherit', 'ipc']);
  await echo.ready;
  const { child } = echo;
  const ms = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`os-peer echo-stream exited with ${code} mid-run`)));
    let received = 0;
    let started = 0;
    child.stdout.on('data', (chunk) => {
      received += chunk.length;
      if (received < rounds) child.stdin.write('x');
      else resolve(now() - started);
    });
    started = now();
    child.stdin.write('x');
  });
  child.stdin.end();
  await exited(child);
  return ms;
}

// ---- (a) pipe ping-pong -------------------------------------------------------------------

async function benchPingPong() {
  const settings = pingPong.settings(ROUNDS);
  const session = await openSession(pingPong, LONG_RUN_LIMITS);
  const simulatedNode = [];
  const simulatedIsolate = [];
  const os = { stdioBlocking: [], fifoBlocking: [], stdioStream: [] };
  let steps = 0;
  // Warm-up: the JIT of both realms, and one of each real-process variant.
  await rate(async () => checked(pingPong, await runInNode(pingPong, [ROUNDS / 10], settings), ROUNDS / 10), { ms: WARM_UP_MS });
  await rate(() => checked(pingPong, session.run([ROUNDS / 10], settings), ROUNDS / 10), { ms: WARM_UP_MS });
  await blockingPingPong(ROUNDS / 10, stdioPipes);
  for (let rep = 0; rep < REPS; rep++) {
    let began = now();
    const inNode = checked(pingPong, await runInNode(pingPong, [ROUNDS], { ...settings, seed: nextSeed++ }), ROUNDS);
    simulatedNode.push((ROUNDS * 1000) / (now() - began));
    began = now();
    checked(pingPong, session.run([ROUNDS], { ...settings, seed: nextSeed++ }), ROUNDS);
    simulatedIsolate.push((ROUNDS * 1000) / (now() - began));
    steps = inNode.steps;
    await breathe();
    os.stdioBlocking.push((ROUNDS * 1000) / (await blockingPingPong(ROUNDS, stdioPipes)));
    os.fifoBlocking.push((ROUNDS * 1000) / (await blockingPingPong(ROUNDS, fifoPipes)));
    os.stdioStream.push((ROUNDS * 1000) / (await streamPingPong(ROUNDS)));
  }
  session.close();
  const osMedians = Object.fromEntries(Object.entries(os).map(([name, rates]) => [name, median(rates)]));
  const fastestOs = Object.entries(osMedians).sort((a, b) => b[1] - a[1])[0];
  const simulated = median(simulatedIsolate);
  return {
    roundTripsPerRun: ROUNDS,
    stepsPerRoundTrip: Number((steps / ROUNDS).toFixed(2)),
    simulated: { isolateRoundTripsPerSec: Math.round(simulated), nodeRoundTripsPerSec: Math.round(median(simulatedNode)) },
    os: Object.fromEntries(Object.entries(osMedians).map(([name, value]) => [`${name}RoundTripsPerSec`, Math.round(value)])),
    osBest: { stdioBlocking: Math.round(Math.max(...os.stdioBlocking)), fifoBlocking: Math.round(Math.max(...os.fifoBlocking)), stdioStream: Math.round(Math.max(...os.stdioStream)) },
    fastestOsVariant: fastestOs[0],
    ratioVsFastestOs: Number((simulated / fastestOs[1]).toFixed(2)),
    ratioVsEachOs: Object.fromEntries(Object.entries(osMedians).map(([name, value]) => [name, Number((simulated / value).toFixed(2))])),
    target: 10,
    met: simulated / fastestOs[1] >= 10,
  };
}

// ---- (b) producer/consumer ----------------------------------------------------------------

async function benchProducerConsumer() {
  const settings = { ...producerConsumer.settings(), schedule: 'random' };
  const session = await openSession(producerConsumer);
  const runIsolate = () => checked(producerConsumer, session.run([], { ...settings, seed: nextSeed++ }));
  let steps = 0;
  let runs = 0;
  const runNode = async () => {
    const run = checked(producerConsumer, await runInNode(producerConsumer, [], { ...settings, seed: nextSeed++ }));
    steps += run.steps;
    runs++;
  };
  await rate(runIsolate, { ms: WARM_UP_MS });
  await rate(runNode, { ms: WARM_UP_MS });
  const isolate = [];
  const node = [];
  for (let round = 0; round < ROUNDS_OF_BOXES; round++) {
    isolate.push(await rate(runIsolate, { ms: BOX }));
    await breathe();
    node.push(await rate(runNode, { ms: BOX }));
    await breathe();
  }
  session.close();
  const isolateRate = median(isolate.map((r) => r.perSecond));
  return {
    items: 20,
    stepsPerRun: Number((steps / runs).toFixed(1)),
    isolateRunsPerSec: Math.round(isolateRate),
    nodeRunsPerSec: Math.round(median(node.map((r) => r.perSecond))),
    isolateRunsPerCpuSec: Math.round(median(isolate.map((r) => r.perCpuSecond))),
    nodeRunsPerCpuSec: Math.round(median(node.map((r) => r.perCpuSecond))),
    target: 2000,
    met: isolateRate >= 2000,
  };
}

// ---- (c) mailbox round trips --------------------------------------------------------------

async function benchMailbox() {
  const settings = mailboxRpc.settings(ROUNDS);
  const session = await openSession(mailboxRpc, LONG_RUN_LIMITS);
  await rate(async () => checked(mailboxRpc, await runInNode(mailboxRpc, [ROUNDS / 10], settings), ROUNDS / 10), { ms: WARM_UP_MS });
  await rate(() => checked(mailboxRpc, session.run([ROUNDS / 10], settings), ROUNDS / 10), { ms: WARM_UP_MS });
  const isolate = [];
  const node = [];
  let steps = 0;
  for (let rep = 0; rep < REPS; rep++) {
    let began = now();
    checked(mailboxRpc, session.run([ROUNDS], { ...settings, seed: nextSeed++ }), ROUNDS);
    isolate.push((ROUNDS * 1000) / (now() - began));
    began = now();
    steps = checked(mailboxRpc, await runInNode(mailboxRpc, [ROUNDS], { ...settings, seed: nextSeed++ }), ROUNDS).steps;
    node.push((ROUNDS * 1000) / (now() - began));
    await breathe();
  }
  session.close();
  return {
    roundTripsPerRun: ROUNDS,
    stepsPerRoundTrip: Number((steps / ROUNDS).toFixed(2)),
    isolateRoundTripsPerSec: Math.round(median(isolate)),
    nodeRoundTripsPerSec: Math.round(median(node)),
  };
}

// ---- (d) bounded buffer, race detection on vs off ------------------------------------------

async function benchBoundedBuffer() {
  const base = { ...boundedBuffer.settings(), schedule: 'random' };
  // The switch must really switch: a racy program is caught with detection on and not with it off.
  const racy = await openSession(racyCell);
  const caught = racy.run([], { ...racyCell.settings(), detectRaces: true }).races.length;
  const missed = racy.run([], { ...racyCell.settings(), detectRaces: false }).races.length;
  racy.close();
  if (caught === 0 || missed !== 0) throw new Error(`detectRaces does not switch the detector: ${caught} races on, ${missed} off`);
  const session = await openSession(boundedBuffer);
  let steps = 0;
  let runs = 0;
  const runners = {
    isolate: (detectRaces) => () => {
      checked(boundedBuffer, session.run([BUFFER_ITEMS], { ...base, detectRaces, seed: nextSeed++ }), BUFFER_ITEMS);
    },
    node: (detectRaces) => async () => {
      const run = checked(boundedBuffer, await runInNode(boundedBuffer, [BUFFER_ITEMS], { ...base, detectRaces, seed: nextSeed++ }), BUFFER_ITEMS);
      steps += run.steps;
      runs++;
    },
  };
  const result = {};
  for (const [where, runner] of Object.entries(runners)) {
    await rate(runner(true), { ms: WARM_UP_MS });
    await rate(runner(false), { ms: WARM_UP_MS });
    const on = [];
    const off = [];
    const overheads = [];
    const cpuOverheads = [];
    for (let round = 0; round < ROUNDS_OF_BOXES; round++) {
      // Alternating which goes first cancels a drift of the machine's speed over the round.
      const first = round % 2 === 0;
      const a = await rate(runner(first), { ms: BOX });
      await breathe();
      const b = await rate(runner(!first), { ms: BOX });
      await breathe();
      const [withDetection, without] = first ? [a, b] : [b, a];
      on.push(withDetection.perSecond);
      off.push(without.perSecond);
      overheads.push(without.perSecond / withDetection.perSecond);
      cpuOverheads.push(without.perCpuSecond / withDetection.perCpuSecond);
    }
    result[where] = {
      racesOnRunsPerSec: Math.round(median(on)),
      racesOffRunsPerSec: Math.round(median(off)),
      overhead: Number(median(overheads).toFixed(2)),
      overheadByCpuTime: Number(median(cpuOverheads).toFixed(2)),
    };
  }
  session.close();
  return {
    itemsPerProducer: BUFFER_ITEMS,
    stepsPerRun: Number((steps / runs).toFixed(1)),
    ...result,
    target: 2,
    met: result.isolate.overhead < 2,
  };
}

// ---- the run --------------------------------------------------------------------------------

const pipe = await benchPingPong();
const producer = await benchProducerConsumer();
const mailbox = await benchMailbox();
const buffer = await benchBoundedBuffer();

const summary = {
  bench: 'kernel',
  quick,
  ...seen,
  loadAverage1mAtEnd: machine().loadAverage1m,
  seconds: Number(((now() - startedAt) / 1000).toFixed(1)),
  pipePingPong: pipe,
  producerConsumer: producer,
  mailbox,
  boundedBuffer: buffer,
};

const mark = (met) => (met ? 'met' : 'MISSED');
console.log(`\nKernel benchmark (${summary.machine.cores} cores, ${summary.machine.cpu}, Node ${summary.machine.node}; load ${summary.machine.loadAverage1m} → ${summary.loadAverage1mAtEnd})\n`);
printTable(['figure', 'simulated (isolate)', 'simulated (Node)', 'baseline', 'ratio', 'target'], [
  ['a. pipe ping-pong, round trips/s', count(pipe.simulated.isolateRoundTripsPerSec), count(pipe.simulated.nodeRoundTripsPerSec),
    `${count(Math.max(...Object.values(pipe.os)))} (OS, ${pipe.fastestOsVariant})`, ratio(pipe.ratioVsFastestOs), `≥ 10× ${mark(pipe.met)}`],
  ['   OS: stdio pipes, blocking I/O', '', '', count(pipe.os.stdioBlockingRoundTripsPerSec), ratio(pipe.ratioVsEachOs.stdioBlocking), ''],
  ['   OS: FIFOs (pipe(2)), blocking I/O', '', '', count(pipe.os.fifoBlockingRoundTripsPerSec), ratio(pipe.ratioVsEachOs.fifoBlocking), ''],
  ['   OS: stdio pipes, event loop', '', '', count(pipe.os.stdioStreamRoundTripsPerSec), ratio(pipe.ratioVsEachOs.stdioStream), ''],
  ['b. producer/consumer (20 items), runs/s', count(producer.isolateRunsPerSec), count(producer.nodeRunsPerSec), '', '', `≥ 2,000 ${mark(producer.met)}`],
  ['c. mailbox request/reply, round trips/s', count(mailbox.isolateRoundTripsPerSec), count(mailbox.nodeRoundTripsPerSec), '', '', ''],
  ['d. bounded buffer, races on, runs/s', count(buffer.isolate.racesOnRunsPerSec), count(buffer.node.racesOnRunsPerSec), '', '', ''],
  ['   bounded buffer, races off, runs/s', count(buffer.isolate.racesOffRunsPerSec), count(buffer.node.racesOffRunsPerSec), '', '', ''],
  ['   race detector overhead (off/on)', ratio(buffer.isolate.overhead), ratio(buffer.node.overhead), '', '', `< 2× ${mark(buffer.met)}`],
]);
console.log(`\n${pipe.roundTripsPerRun.toLocaleString('en-US')} round trips per run in a and c; ${pipe.stepsPerRoundTrip} scheduling points per pipe round trip, ${mailbox.stepsPerRoundTrip} per mailbox round trip; ${producer.stepsPerRun} per producer/consumer run, ${buffer.stepsPerRun} per bounded-buffer run.`);
console.log('\nJSON summary:');
console.log(JSON.stringify(summary, null, 2));
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(summary, null, 2)}\n`);
// Nothing should be left, but a stuck peer must not keep the benchmark alive.
setTimeout(() => process.exit(0), 100).unref();
