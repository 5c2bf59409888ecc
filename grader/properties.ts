/**
 * Ready-made properties an exercise's tests assert on every explored run.
 * A property's `check` returns null when it holds, or the sentence a student
 * reads when it does not.
 */
import type { RunResult } from '../kernel/types';

export interface Property {
  /** Names the property in partial credit and in the test's report. */
  name: string;
  /**
   * 'safety': the absence of something bad (no deadlock, finishing), which a
   * program that does nothing also has; 'functional': the work itself;
   * 'hygiene': cleaning up (no zombie, no leaked descriptor or segment), which
   * holds on a run only when that run ended normally having done the work.
   */
  kind: 'safety' | 'functional' | 'hygiene';
  check(run: RunResult): string | null;
}

/** A diagnosed situation: a predicate over the run (who blocks where, who died of what, what it printed). */
export type Situation = (run: RunResult) => boolean;

export interface PropertyOptions {
  /** The author's explanation, put before the run's detail. */
  hint?: string;
  /** The situation `hint` explains: without it the hint is shown on every failure, with it only when the run matches. */
  when?: Situation;
  /** Explanations of several diagnosed situations: the first that matches the run is shown (before `hint`). */
  diagnoses?: { when: Situation; hint: string }[];
}

/** The property's failure with the author's explanation in front, when one applies to this run; else the precise finding alone. */
export function withHint(problem: string | null, run: RunResult, options: PropertyOptions): string | null {
  if (problem === null) return null;
  const diagnosed = options.diagnoses?.find((diagnosis) => diagnosis.when(run))?.hint;
  const hint = diagnosed ?? (options.hint !== undefined && (options.when === undefined || options.when(run)) ? options.hint : undefined);
  return hint === undefined ? problem : `${hint} (${problem})`;
}

function property(name: string, kind: Property['kind'], options: PropertyOptions, check: (run: RunResult) => string | null): Property {
  return { name, kind, check: (run) => withHint(check(run), run, options) };
}

/** The run did not end as ok: say why in the student's terms, or null if it did. */
export function unfinished(run: RunResult): string | null {
  switch (run.status) {
    case 'ok':
      return null;
    case 'deadlock':
      return run.message ?? 'the processes deadlocked';
    case 'step-limit':
      return 'the program never finished: it ran past the step limit (a livelock, or a busy wait that never ends?)';
    case 'timeout':
      return 'the program ran out of CPU time (an endless loop without system calls?)';
    case 'memory-limit':
      return 'the program used more memory than allowed';
    case 'compile-error':
      return run.message ?? 'the program does not compile';
    case 'crash':
      return 'the simulated kernel failed (not your fault; please report it)';
  }
}

/** `pid 2`, or `pid 2 on 10.0.0.3` when the run spans several hosts (each numbers its pids from 2). */
export function processName(run: RunResult, pid: number, host: string | undefined): string {
  const hosts = new Set(run.processes.map((p) => p.host));
  return hosts.size > 1 && host !== undefined ? `pid ${pid} on ${host}` : `pid ${pid}`;
}

/**
 * How each process that did not end normally ended: killed by a signal, or an
 * uncaught error (its stderr line, which names a missing export too). Null
 * when every process exited of its own accord.
 */
export function abnormalEnds(run: RunResult): string | null {
  const ends = run.processes.flatMap((p) => {
    const who = processName(run, p.pid, p.host);
    if (p.signal) return [`${who} was killed by ${p.signal}`];
    const uncaught = p.stderr.split('\n').find((line) => line.startsWith('Uncaught'));
    return uncaught ? [`${who} ended with ${quote(uncaught, 160)} on its stderr${p.status !== null ? ` (status ${p.status})` : ''}`] : [];
  });
  return ends.length === 0 ? null : ends.slice(0, 4).join('; ') + (ends.length > 4 ? ` and ${ends.length - 4} more` : '');
}

const quote = (text: string, limit = 200): string => JSON.stringify(text.length > limit ? text.slice(0, limit) + '…' : text);

function lines(text: string): string[] {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

function multisetDifference(expected: readonly string[], actual: readonly string[]): { missing: string[]; extra: string[] } {
  const counts = new Map<string, number>();
  for (const line of expected) counts.set(line, (counts.get(line) ?? 0) + 1);
  const extra: string[] = [];
  for (const line of actual) {
    const left = counts.get(line) ?? 0;
    if (left > 0) counts.set(line, left - 1);
    else extra.push(line);
  }
  const missing = [...counts].flatMap(([line, count]) => Array<string>(count).fill(line));
  return { missing, extra };
}

export const props = {
  /** Every process exited: no deadlock, no runaway loop. */
  finishes: (options: PropertyOptions = {}): Property => property('finishes', 'safety', options, unfinished),

  noDeadlock: (options: PropertyOptions = {}): Property =>
    property('no deadlock', 'safety', options, (run) => (run.status === 'deadlock' ? run.message ?? 'the processes deadlocked' : null)),

  /** The combined stdout is exactly `expected`. */
  stdoutIs: (expected: string, options: PropertyOptions = {}): Property =>
    property('stdout', 'functional', options, (run) => (run.stdout === expected ? null
      : `stdout was ${quote(run.stdout)} but should be ${quote(expected)}${run.status === 'ok' ? '' : `; ${unfinished(run)}`}`)),

  /** stdout has exactly these lines, in any order (each as often as listed). */
  stdoutLines: (expected: readonly string[], options: PropertyOptions = {}): Property =>
    property('stdout lines', 'functional', options, (run) => {
      const { missing, extra } = multisetDifference(expected, lines(run.stdout));
      if (missing.length === 0 && extra.length === 0) return null;
      const parts = [];
      if (missing.length) parts.push(`missing from stdout: ${missing.slice(0, 5).map((l) => quote(l)).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
      if (extra.length) parts.push(`unexpected in stdout: ${extra.slice(0, 5).map((l) => quote(l)).join(', ')}${extra.length > 5 ? ` and ${extra.length - 5} more` : ''}`);
      return parts.join('; ') + (run.status === 'ok' ? '' : `; ${unfinished(run)}`);
    }),

  stdoutMatches: (pattern: RegExp, options: PropertyOptions = {}): Property =>
    property('stdout pattern', 'functional', options, (run) => (pattern.test(run.stdout) ? null : `stdout ${quote(run.stdout)} does not match ${pattern}`)),

  stderrIs: (expected: string, options: PropertyOptions = {}): Property =>
    property('stderr', 'functional', options, (run) => (run.stderr === expected ? null : `stderr was ${quote(run.stderr)} but should be ${quote(expected)}`)),

  /** The process with this pid (default: the first, pid 2) exited with `status`. */
  exitStatus: (status: number, options: PropertyOptions & { pid?: number; host?: string } = {}): Property =>
    property('exit status', 'functional', options, (run) => {
      const pid = options.pid ?? 2;
      const proc = run.processes.find((p) => p.pid === pid && (options.host === undefined || p.host === options.host));
      if (!proc) return `there was no process ${pid}`;
      if (proc.status === status) return null;
      return proc.status === null
        ? `pid ${pid} ${proc.signal ? `was killed by ${proc.signal}` : 'never exited'} instead of exiting with status ${status}`
        : `pid ${pid} exited with status ${proc.status} instead of ${status}`;
    }),

  noRace: (options: PropertyOptions = {}): Property =>
    property('no data race', 'safety', options, (run) => {
      const race = run.races[0];
      if (!race) return null;
      const sides = race.accesses.map((a) => `${a.op} by pid ${a.pid}${a.tid !== a.pid ? ` thread ${a.tid}` : ''} at step ${a.step}`).join(' and ');
      return `data race on shared memory segment ${race.segment}, cell ${race.index}: ${sides} are not ordered by any synchronisation`;
    }),

  noZombies: (options: PropertyOptions = {}): Property =>
    property('no zombies', 'hygiene', options, (run) => (run.zombies.length === 0 ? null
      : `child process${run.zombies.length > 1 ? 'es' : ''} ${run.zombies.join(', ')} exited but ${run.zombies.length > 1 ? 'were' : 'was'} never waited for (zombie)`)),

  noLeakedFds: (options: PropertyOptions = {}): Property =>
    property('no leaked descriptors', 'hygiene', options, (run) => {
      if (run.openFds.length === 0) return null;
      return 'descriptors left open at exit: ' + run.openFds.slice(0, 6).map((f) => `fd ${f.fd} (${f.kind}) in ${processName(run, f.pid, f.host)}`).join(', ');
    }),

  /** Every segment is detached before its process exits, and removed (shmctl IPC_RMID) by the end. */
  noLeakedSegments: (options: PropertyOptions = {}): Property =>
    property('no leaked shared memory', 'hygiene', options, (run) => {
      const { attachedAtExit, notRemoved } = run.shmLeaks;
      const problems = [
        ...attachedAtExit.slice(0, 4).map((leak) => `pid ${leak.pid} exited with segment ${leak.segment} still attached (shmdt)`),
        ...notRemoved.slice(0, 4).map((leak) => `segment ${leak.segment} (key ${JSON.stringify(leak.key)}) was never removed (shmctl IPC_RMID)`),
      ];
      return problems.length === 0 ? null : problems.join('; ');
    }),

  /** Every expected item appears in stdout exactly once: nothing lost, nothing duplicated. */
  allDelivered: (items: readonly string[], options: PropertyOptions = {}): Property =>
    property('nothing lost or duplicated', 'functional', options, (run) => {
      const wanted = new Map<string, number>();
      for (const item of items) wanted.set(item, (wanted.get(item) ?? 0) + 1);
      const seen = new Map<string, number>();
      for (const line of lines(run.stdout)) if (wanted.has(line)) seen.set(line, (seen.get(line) ?? 0) + 1);
      const lost = [...wanted].filter(([item, count]) => (seen.get(item) ?? 0) < count).map(([item]) => item);
      const duplicated = [...wanted].filter(([item, count]) => (seen.get(item) ?? 0) > count).map(([item]) => item);
      if (lost.length === 0 && duplicated.length === 0) return null;
      const parts = [];
      if (lost.length) parts.push(`lost: ${lost.slice(0, 5).map((l) => quote(l)).join(', ')}${lost.length > 5 ? ` and ${lost.length - 5} more` : ''}`);
      if (duplicated.length) parts.push(`duplicated: ${duplicated.slice(0, 5).map((l) => quote(l)).join(', ')}`);
      return parts.join('; ') + (run.status === 'ok' ? '' : `; ${unfinished(run)}`);
    }),

  /**
   * Lines of stdout matching `pattern` (with a channel in group 1 and a sequence
   * number in group 2) appear in increasing sequence order within each channel.
   */
  fifoPerChannel: (pattern: RegExp, options: PropertyOptions = {}): Property =>
    property('FIFO order per channel', 'functional', options, (run) => {
      const last = new Map<string, number>();
      for (const line of lines(run.stdout)) {
        const match = pattern.exec(line);
        if (!match) continue;
        const [channel, sequence] = [match[1], Number(match[2])];
        const previous = last.get(channel);
        if (previous !== undefined && sequence <= previous) {
          return `${quote(line)} came after item ${previous} of ${channel}: messages of one channel must arrive in the order they were sent`;
        }
        last.set(channel, sequence);
      }
      return null;
    }),

  maxSteps: (limit: number, options: PropertyOptions = {}): Property =>
    property('step bound', 'safety', options, (run) => (run.steps <= limit ? null : `the run took ${run.steps} scheduling points; at most ${limit} are expected`)),

  maxSimTime: (limitMs: number, options: PropertyOptions = {}): Property =>
    property('time bound', 'safety', options, (run) => (run.simTimeMs <= limitMs ? null : `the run took ${run.simTimeMs} ms of simulated time; at most ${limitMs} ms are expected`)),

  /** An author's own check: return null when it holds, or the student-facing sentence. */
  custom: (name: string, check: (run: RunResult) => string | null, options: PropertyOptions & { kind?: Property['kind'] } = {}): Property =>
    property(name, options.kind ?? 'functional', options, check),
};

export type Properties = typeof props;

/** Predicates over a run that name a cause, for hints that explain one situation only. */
export const situations = {
  /** The run ended this way (`ok`, `deadlock`, `step-limit`, …). */
  ended: (status: RunResult['status']): Situation => (run) => run.status === status,
  /** A thread (of `pid`, on `host`, if given) was left blocked in `call` when the run deadlocked. */
  blockedIn: (call: string, pid?: number, host?: string): Situation => (run) =>
    run.deadlock?.blocked.some((b) => b.call === call && (pid === undefined || b.pid === pid) && (host === undefined || (b.host ?? firstHost(run)) === host)) ?? false,
  /** A process (`pid`, if given) was killed by `signal`. */
  killedBy: (signal: string, pid?: number): Situation => (run) => run.processes.some((p) => p.signal === signal && (pid === undefined || p.pid === pid)),
  /** A process (`pid`, if given) wrote a line matching `pattern` on its stderr. */
  stderrMatches: (pattern: RegExp, pid?: number): Situation => (run) => run.processes.some((p) => (pid === undefined || p.pid === pid) && pattern.test(p.stderr)),
  /** Process `pid` exited with `status`. */
  exitedWith: (pid: number, status: number): Situation => (run) => run.processes.some((p) => p.pid === pid && p.status === status),
  /** Process `pid` (on `host`, if given) ended by returning or exiting, with any status (not killed, not still running). */
  exited: (pid: number, host?: string): Situation => (run) => run.processes.some((p) => p.pid === pid && (host === undefined || p.host === host) && p.status !== null),
  /** The run deadlocked with every thread blocked in `call` (everyone waits to receive: a message was lost). */
  allBlockedIn: (call: string): Situation => (run) => (run.deadlock?.blocked.length ?? 0) > 0 && run.deadlock!.blocked.every((b) => b.call === call),
  /** A thread (of `pid`, if given) was left blocked in `call` for a reason matching `detail` (who holds which end, what is full). */
  blockedOn: (call: string, detail: RegExp, pid?: number): Situation => (run) =>
    run.deadlock?.blocked.some((b) => b.call === call && detail.test(b.detail) && (pid === undefined || b.pid === pid)) ?? false,
  /** The run hit the step limit with one thread alone running its last steps: the others were blocked or gone, and it spun. */
  spunAlone: (): Situation => (run) => run.status === 'step-limit' && spinner(run) !== null,
  /** Process `pid` (any, if not given) printed a line matching `pattern` on its stdout (the combined stdout when no pid). */
  printed: (pattern: RegExp, pid?: number): Situation => (run) => (pid === undefined ? pattern.test(run.stdout) : run.processes.some((p) => p.pid === pid && pattern.test(p.stdout))),
  /** The combined stdout is a strict beginning of `expected` (text cut short, nothing wrong in what came). */
  stdoutCutShort: (expected: string): Situation => (run) => run.stdout.length < expected.length && expected.startsWith(run.stdout),
  /** stdout has a line that is none of `expected` (something wrong was printed, not merely something missing). */
  strayLine: (expected: readonly string[]): Situation => (run) => run.stdout.split('\n').some((line) => line !== '' && !expected.includes(line)),
  /** A data race on one of these cells of shared memory (any cell, if none given). */
  raceOn: (cells?: readonly number[]): Situation => (run) => run.races.some((race) => cells === undefined || cells.includes(race.index)),
  /** Process `pid` (any, if not given) exited with a descriptor open, of a kind matching `kind` (any, if not given). */
  leftOpen: (pid?: number, kind?: RegExp): Situation => (run) => run.openFds.some((f) => (pid === undefined || f.pid === pid) && (kind === undefined || kind.test(f.kind))),
  /** A child of `parent` exited and was never waited for. */
  zombieOf: (parent: number): Situation => (run) => run.zombies.some((zombie) => run.processes.some((p) => p.pid === zombie && p.ppid === parent)),
  /** Process `pid` (any, if not given) exited with a segment still attached. */
  leftAttached: (pid?: number): Situation => (run) => run.shmLeaks.attachedAtExit.some((leak) => pid === undefined || leak.pid === pid),
  /** A segment was never removed (shmctl IPC_RMID) by the end of the run. */
  leftUnremoved: (): Situation => (run) => run.shmLeaks.notRemoved.length > 0,
  not: (situation: Situation): Situation => (run) => !situation(run),
  all: (...each: Situation[]): Situation => (run) => each.every((situation) => situation(run)),
  any: (...each: Situation[]): Situation => (run) => each.some((situation) => situation(run)),
};

export type Situations = typeof situations;

/** The host of the run's first process: reports leave it out of what happens there. */
const firstHost = (run: RunResult): string | undefined => run.processes[0]?.host;

/** Steps at the end of a step-limited run in which one thread alone ran, for it to count as spinning alone. */
const SPIN_STEPS = 500;

/** The thread that ran every one of the run's last SPIN_STEPS steps, if one did. */
function spinner(run: RunResult): string | null {
  const last = run.decisions.slice(-SPIN_STEPS).map((decision) => decision.split('@')[0]);
  return last.length === SPIN_STEPS && last.every((key) => key === last[0]) ? last[0] : null;
}
