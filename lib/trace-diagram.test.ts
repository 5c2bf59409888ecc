import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GradeResult } from '../grader/grade';
import type { Counterexample } from '../grader/harness';
import type { RunResult } from '../kernel/types';
import { callSites, layoutTrace, type TraceDiagram } from './trace-diagram';

// Fixtures are real output of the grader: see test/fixtures/traces/README.md.
const fixture = <T>(name: string): T => JSON.parse(readFileSync(path.join(__dirname, '..', 'test', 'fixtures', 'traces', name), 'utf8')) as T;

function counterexampleOf(name: string, test: string): Counterexample {
  const counterexample = fixture<GradeResult>(`${name}.grade.json`).tests.find((t) => t.name === test)?.counterexample;
  if (!counterexample) throw new Error(`${name} has no counterexample for '${test}'`);
  return counterexample;
}

const label = (diagram: TraceDiagram, lane: number) => diagram.lanes[lane].label;
const stepOf = (diagram: TraceDiagram, row: number) => diagram.steps[row].step;

describe('the trace as a sequence diagram', () => {
  const pipeRun = fixture<RunResult>('pipe-message--parent-keeps-write-end.run.json');
  const pipeDiagram = layoutTrace(counterexampleOf('pipe-message--parent-keeps-write-end', 'parent prints the whole message under every schedule'));

  it('has one lane per thread, labelled by pid, in order of first appearance', () => {
    expect(pipeDiagram.lanes.map((lane) => lane.label)).toEqual(['pid 2', 'pid 3']);
  });

  it('has one row per scheduling step, time downwards, each call with its arguments and result', () => {
    expect(pipeDiagram.steps.map((s) => s.step)).toEqual(pipeRun.trace!.map((entry) => entry.step));
    const read = pipeDiagram.steps[7];
    expect([label(pipeDiagram, read.lane), read.text, read.outcome]).toEqual(['pid 2', 'read(3, 64)', '→ "The quick brown "']);
  });

  it('draws the counterexample and the RunResult of the same replay alike', () => {
    expect(layoutTrace(pipeRun)).toEqual(pipeDiagram);
  });

  it('a message written to a pipe is an arrow from the writer\'s lane to the reader\'s', () => {
    const data = pipeDiagram.arrows.filter((arrow) => arrow.kind === 'data');
    expect(data.map((a) => [label(pipeDiagram, a.fromLane), stepOf(pipeDiagram, a.fromRow), label(pipeDiagram, a.toLane), stepOf(pipeDiagram, a.toRow)])).toEqual([
      ['pid 3', 7, 'pid 2', 8],
      ['pid 3', 9, 'pid 2', 10],
      ['pid 3', 11, 'pid 2', 12],
      ['pid 3', 13, 'pid 2', 14],
      ['pid 3', 15, 'pid 2', 16],
      ['pid 3', 17, 'pid 2', 18],
    ]);
    expect([data[0].via, data[0].carries]).toEqual(['pipe 1', '"The quick brown "']);
  });

  it('a pipe wired to stdin and stdout by dup2 across exec still pairs writer and reader', () => {
    const diagram = layoutTrace(counterexampleOf('shell-pipeline--parent-keeps-write-ends', 'two stages: echo | tr'));
    const data = diagram.arrows.filter((arrow) => arrow.kind === 'data');
    expect(data.map((a) => [diagram.steps[a.fromRow].text, label(diagram, a.fromLane), label(diagram, a.toLane), a.via, a.carries])).toEqual([
      ['write(1, "hello world\\n")', 'pid 3', 'pid 4', 'pipe 1', '"hello world\\n"'],
    ]);
  });

  it('data through a FIFO is an arrow from the process that opened it for writing to the one that opened it for reading', () => {
    const diagram = layoutTrace(counterexampleOf('named-pipe--no-unlink', 'one line gets through'));
    const data = diagram.arrows.filter((arrow) => arrow.kind === 'data');
    expect(data.map((a) => [label(diagram, a.fromLane), stepOf(diagram, a.fromRow), label(diagram, a.toLane), stepOf(diagram, a.toRow), a.via, a.carries])).toEqual([
      ['pid 3', 14, 'pid 2', 15, 'FIFO /tmp/rendezvous.fifo', '"hello\\n"'],
      ['pid 2', 21, 'pid 3', 22, 'FIFO /tmp/rendezvous.reply', '"received 1 lines"'],
      ['pid 2', 23, 'pid 3', 24, 'FIFO /tmp/rendezvous.reply', '"\\n"'],
    ]);
  });

  it('a message through a queue or a link is an arrow from the sender\'s send to the receiver\'s receive', () => {
    const queue = layoutTrace(counterexampleOf('message-queue--blocking-reply', 'no reply is lost when the queue is full'));
    const [message] = queue.arrows.filter((arrow) => arrow.kind === 'message');
    expect([label(queue, message.fromLane), queue.steps[message.fromRow].call, label(queue, message.toLane), queue.steps[message.toRow].call, message.via, message.carries]).toEqual([
      'pid 3', 'msgsnd', 'pid 2', 'msgrcv', 'message queue 1', '{"pid":3,"n":3}',
    ]);
    const link = layoutTrace(counterexampleOf('direct-messages--send-all-then-receive', 'two clients, rendezvous links'));
    const [sent] = link.arrows.filter((arrow) => arrow.kind === 'message');
    expect([label(link, sent.fromLane), stepOf(link, sent.fromRow), label(link, sent.toLane), stepOf(link, sent.toRow)]).toEqual(['pid 3', 5, 'pid 2', 7]);
  });

  it('a fork is an arrow from the parent\'s fork to the child\'s first step', () => {
    const forks = pipeDiagram.arrows.filter((arrow) => arrow.kind === 'fork');
    expect(forks.map((a) => [label(pipeDiagram, a.fromLane), stepOf(pipeDiagram, a.fromRow), label(pipeDiagram, a.toLane), stepOf(pipeDiagram, a.toRow)])).toEqual([['pid 2', 3, 'pid 3', 4]]);
    expect(pipeDiagram.steps.filter((s) => s.kind === 'fork' || s.kind === 'start').map((s) => [s.kind, s.step])).toEqual([['start', 1], ['fork', 3], ['start', 4]]);
  });

  it('an exec and the new program\'s start are marked', () => {
    const diagram = layoutTrace(counterexampleOf('shell-pipeline--parent-keeps-write-ends', 'two stages: echo | tr'));
    expect(diagram.steps.filter((s) => s.kind === 'exec').map((s) => [label(diagram, s.lane), s.text])).toEqual([
      ['pid 3', 'exec("echo", ["hello","world"])'],
      ['pid 4', 'exec("tr", ["a-z","A-Z"])'],
    ]);
  });

  it('a process\'s end, as its parent\'s wait reports it, closes its lane', () => {
    const diagram = layoutTrace(counterexampleOf('shell-pipeline--parent-keeps-write-ends', 'two stages: echo | tr'));
    expect(diagram.ends.map((end) => [label(diagram, end.lane), stepOf(diagram, end.row), end.how])).toEqual([['pid 3', 18, 'exit 0']]);
  });

  it('a signal handler\'s run is marked', () => {
    const diagram = layoutTrace(counterexampleOf('signals--no-sigint-handler', 'two workers, then Ctrl-C'));
    expect(diagram.steps.filter((s) => s.kind === 'handler').map((s) => [label(diagram, s.lane), s.text])).toEqual([
      ['pid 2', 'signal-handler("SIGCHLD")'],
      ['pid 2', 'signal-handler("SIGCHLD")'],
    ]);
  });

  it('a blocked call leaves its lane hatched until the thread runs again, or to the end', () => {
    expect(pipeDiagram.gaps.map((gap) => [label(pipeDiagram, gap.lane), stepOf(pipeDiagram, gap.fromRow), gap.toRow === null ? 'end' : stepOf(pipeDiagram, gap.toRow)])).toEqual([
      ['pid 2', 5, 8],
      ['pid 3', 7, 9],
      ['pid 3', 9, 11],
      ['pid 3', 11, 13],
      ['pid 3', 13, 15],
      ['pid 3', 15, 17],
      ['pid 2', 20, 'end'],
    ]);
    expect(pipeDiagram.steps[8].resumes).toBe(true);
  });

  it('a deadlock\'s blocked calls are marked with what they wait for, as the run\'s deadlock finding says', () => {
    expect(pipeDiagram.deadlock!.blocked.map((b) => ({ pid: pipeDiagram.lanes[b.lane].pid, tid: pipeDiagram.lanes[b.lane].tid, call: b.call, detail: b.detail }))).toEqual(pipeRun.deadlock!.blocked);
  });

  it('a parent that keeps its own write end waits for itself: the wait-for cycle is its own lane', () => {
    expect(pipeDiagram.deadlock!.cycle.map((lane) => label(pipeDiagram, lane))).toEqual(['pid 2']);
  });

  it('two processes each sending to the other over rendezvous links form a wait-for cycle', () => {
    const diagram = layoutTrace(counterexampleOf('direct-messages--send-all-then-receive', 'two clients, rendezvous links'));
    expect(diagram.deadlock!.cycle.map((lane) => label(diagram, lane))).toEqual(['pid 2', 'pid 3']);
    expect(diagram.deadlock!.blocked.map((b) => [label(diagram, b.lane), b.waitsFor.map((lane) => label(diagram, lane))])).toEqual([
      ['pid 2', ['pid 3']],
      ['pid 3', ['pid 2']],
      ['pid 4', ['pid 2']],
    ]);
  });

  it('a run that ends normally shows no deadlock', () => {
    const shared = layoutTrace(counterexampleOf('shared-memory--post-before-write', 'no data race: the reader loads only after the writer has stored'));
    expect(shared.deadlock).toBeNull();
  });

  it('a race\'s two accesses are marked on their rows', () => {
    const run = fixture<RunResult>('shared-memory--post-before-write.run.json');
    expect(run.trace).toEqual(counterexampleOf('shared-memory--post-before-write', 'no data race: the reader loads only after the writer has stored').trace);
    const diagram = layoutTrace(run);
    const [first] = diagram.races;
    expect(first.description).toBe('store by pid 2 at step 12 and load by pid 3 at step 17');
    expect(first.rows.map((row) => [label(diagram, diagram.steps[row].lane), diagram.steps[row].text])).toEqual([
      ['pid 2', 'shm_store(segment 3, 0, 4)'],
      ['pid 3', 'shm_load(segment 3, 0)'],
    ]);
  });

  it('a step points at the lines of the code that make its call', () => {
    const code = readFileSync(path.join(__dirname, '..', 'exercises', 'shared-memory', 'wrong', 'post-before-write.ts'), 'utf8');
    const diagram = layoutTrace(fixture<RunResult>('shared-memory--post-before-write.run.json'));
    const [store, load] = diagram.races[0].rows.map((row) => diagram.steps[row]);
    const lines = code.split('\n');
    expect(callSites(code, store).map((n) => lines[n - 1].trim())).toEqual([
      'await shm.store(0, message.length);',
      'for (let i = 0; i < message.length; i++) await shm.store(1 + i, message.charCodeAt(i));',
    ]);
    expect(callSites(code, load).map((n) => lines[n - 1].trim())).toEqual([
      'const length = await shm.load(0);',
      'for (let i = 0; i < length; i++) message += String.fromCharCode(await shm.load(1 + i));',
    ]);
    expect(callSites(code, diagram.steps[0])).toEqual([]);
  });
});
