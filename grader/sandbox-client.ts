/**
 * The caller's side of the sandbox: runs jobs in a child process that it replaces whenever the
 * child dies, so a V8 crash inside an isolate costs one job its result, never the caller. A
 * watchdog kills the child when a job has used more CPU time than its budget allows (V8 builtins
 * such as Array.prototype.indexOf on a huge array-like never check isolated-vm's timeout), or far
 * more wall time, and the child starts behind the walls of walls.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RunResult } from '../kernel';
import { COMPILE_LIMIT_MS } from './compiler';
import { parseExercise, type ExerciseMetadata, type PackageFiles, type SourceFile } from './exercise';
import type { GradeOptions, GradeResult } from './grade';
import type { ValidateOptions, ValidationCheck } from './validate';
import { DEFAULT_GRADINGS_PER_ISOLATE, JOB_BUDGET_MS, resolveLimits, runWallLimitMs, WALL_TIME_PER_CPU_BUDGET, type SandboxJob } from '../common/job';
import { crashResult, memoryLimitResult, timeoutResult } from '../common/run-result';
import { reprobeWalls, sandboxWalls, type WallOptions } from './walls';
import { allowanceFor, watch, type JobAllowance, type Overrun } from './watchdog';

/** An exercise as data, so it can cross to the child (the web app keeps packages in its database). */
export interface ExercisePackage {
  slug: string;
  files: PackageFiles;
}

export interface GradeTask {
  exercise: ExercisePackage;
  submission: SourceFile;
  options?: GradeOptions;
}

/** What the child is asked to do, and what it answers. */
export type SandboxRequest =
  | { id: number; kind: 'run'; job: SandboxJob }
  | { id: number; kind: 'grade'; task: GradeTask }
  | { id: number; kind: 'validate'; exercise: ExercisePackage; options?: ValidateOptions }
  | { id: number; kind: 'inspect' };

export type SandboxReply =
  | { id: number; kind: 'run'; result: RunResult }
  /** A check of a validation under way (the `validate` answer follows with all of them). */
  | { id: number; kind: 'validate-check'; check: ValidationCheck }
  | { id: number; kind: 'grade'; result: GradeResult }
  | { id: number; kind: 'validate'; result: ValidationCheck[] | { invalid: string[] } }
  | { id: number; kind: 'inspect'; result: ChildReport | null };

/** What the child sees of itself: proof, from the inside, of the walls describeWalls() lists. */
export interface ChildReport {
  residentMb: number;
  /** Names of its environment variables. */
  environment: string[];
  uid: number;
  /** Its data memory cap (RLIMIT_DATA), or null when unlimited. */
  dataCapMb: number | null;
  /** Names of the network interfaces it can see. */
  networkInterfaces: string[];
  /** The distinct nice values of its threads (isolates run on threads of their own). */
  threadNiceness: number[];
  /** The nice value of its session's scheduling group (Linux's autogroup), or null where the kernel has none. */
  sessionNiceness: number | null;
  /** The Node and V8 flags it was started with. */
  nodeFlags: string[];
}

/** The child's first message: the compiler and the first isolate are ready, so a job's clock may start. */
export const CHILD_READY = 'ready';
/** The child's argument that says how many gradings an isolate serves. */
export const GRADINGS_PER_ISOLATE_FLAG = '--gradings-per-isolate=';
/**
 * The child's argument that says it runs in a session of its own (the client's detached spawn, or
 * bubblewrap's --new-session). Under Linux's autogroup scheduling a session is weighed against
 * every other session as an equal, whatever its threads' nice value, so the child gives its session
 * the nice value too (a child in its caller's session must not: it would lower the caller's).
 */
export const OWN_SESSION_FLAG = '--own-session';

type Answer<K extends SandboxRequest['kind']> = Extract<SandboxReply, { kind: K }>['result'];
type Progress = Extract<SandboxReply, { kind: 'validate-check' }>;

/**
 * V8's flags for the child. Every grading's isolate is fresh, so TurboFan optimises the kernel and the
 * submission again in each; inlining less makes those compiles cheaper (a back-to-back grading 1.3× less
 * CPU, bench/README.md "Fresh isolates' JIT"). Process-wide, so set where the child starts.
 */
export const SANDBOX_V8_FLAGS = ['--max-inlined-bytecode-size=30'];

/** Built by scripts/build.mjs; the same relative path holds from grader/ (tests) and dist/ (bundles). */
const CHILD_ENTRY = path.join(__dirname, '..', 'dist', 'sandbox-process.js');

/**
 * CPU time the watchdog allows beyond a job's own budget: the child stops a job itself at its
 * budget, and only a call that never returns (an uninterruptible builtin) outlives it by this much.
 */
const WATCHDOG_GRACE_MS = 2_000;
/**
 * CPU time a grading may take past its budget, in runs' limits: the child checks the budget between
 * batches, so the batch under way may use one run's limit, its runs again alone (after a cut-off)
 * another, and the run that is then cut off a third.
 */
const RUN_LIMITS_PAST_BUDGET = 3;
/** A child that is not ready by then (Node, TypeScript and a first isolate load in about a second) will not be. */
const CHILD_START_LIMIT_MS = 30_000;
/** Data memory of the child (Node, the compiler's thread, the current and the next isolate): see walls.ts. */
const DEFAULT_MEMORY_CAP_MB = 1024;

export interface SandboxClientOptions {
  /** Cap on the child's data memory, in MiB (default 1,024): a program that allocates past it ends as memory-limit. */
  memoryCapMb?: number;
  /** Variables the child gets besides TZ=UTC (default none): the caller's environment is never passed on. */
  env?: Record<string, string>;
  /** Gradings one isolate serves before a fresh one replaces it (default 1: a fresh isolate for every grading). */
  gradingsPerIsolate?: number;
  /** The child's nice value, 0 to 19 (default: the caller's): a worker grades below the web app's CPU priority. */
  niceness?: number;
}

export class SandboxClient {
  private child: { process: ChildProcess; ready: Promise<void> } | null = null;
  private nextId = 1;
  /** Jobs run one at a time: the tail of the queue. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly walls: WallOptions;
  private readonly childArgs: string[];

  constructor(options: SandboxClientOptions = {}) {
    this.walls = { memoryCapMb: options.memoryCapMb ?? DEFAULT_MEMORY_CAP_MB, env: options.env, niceness: options.niceness };
    this.childArgs = ['--no-node-snapshot', ...SANDBOX_V8_FLAGS, CHILD_ENTRY, `${GRADINGS_PER_ISOLATE_FLAG}${options.gradingsPerIsolate ?? DEFAULT_GRADINGS_PER_ISOLATE}`, OWN_SESSION_FLAG];
  }

  /** One line per wall around the child, saying whether it stands on this machine (for `rendezvous doctor` and the worker's log). */
  describeWalls(): string[] {
    return [
      ...sandboxWalls(this.childArgs, this.walls).report,
      `watchdog: the child is killed ${WATCHDOG_GRACE_MS / 1000} s of CPU time after a job's budget (or at ${WALL_TIME_PER_CPU_BUDGET}× that in wall time), and replaced`,
    ];
  }

  /** Runs a job in the child. Never rejects: a dead or stuck child is a RunResult too. */
  run(job: SandboxJob): Promise<RunResult> {
    const limits = resolveLimits(job.limits);
    return this.enqueue({ kind: 'run', job }, allowanceFor(COMPILE_LIMIT_MS + runWallLimitMs(limits) + WATCHDOG_GRACE_MS), {
      died: () => memoryLimitResult(limits, job.settings),
      stuck: () => timeoutResult(limits, job.settings),
      failed: (error) => crashResult(error, job.settings),
    });
  }

  /** Grades a submission in the child. Never rejects: a dead or stuck child is a GradeResult too. */
  grade(task: GradeTask): Promise<GradeResult> {
    const stopped = (status: GradeResult['status'], message: string): GradeResult => ({
      status, message, score: 0, maxScore: 0, tests: [], durationMs: 0, phases: {}, runs: 0,
    });
    const allowed = allowanceFor(gradingCpuMs(task.exercise, task.options));
    return this.enqueue({ kind: 'grade', task }, allowed, {
      died: () => stopped('memory-limit', 'Grading ran out of memory: the program allocates without end?'),
      stuck: (why) => stopped('timeout', `Grading ${why === 'cpu' ? `used more than ${Math.round(allowed.cpuMs / 1000)} s of CPU time` : `took more than ${Math.round(allowed.wallMs / 1000)} s`}, so it was stopped: a call that never returns (an endless loop inside a built-in function?).`),
      failed: (error) => stopped('internal-error', `The grader failed (not your fault): ${(error as Error).message}`),
    });
  }

  /**
   * Validates an exercise in the child: its reference passes, its starter and known-wrong
   * solutions do not. `onCheck` hears each check as the child makes it.
   */
  validate(exercise: ExercisePackage, options?: ValidateOptions, onCheck?: (check: ValidationCheck) => void): Promise<Answer<'validate'>> {
    const broken = (line: string): ValidationCheck[] => [{ ok: false, line }];
    // The reference, the starter and each known-wrong solution under each seed are graded in turn.
    const gradings = 2 + (readMetadata(exercise)?.wrong.length ?? 0) * Math.max(1, options?.seeds ?? 1);
    return this.enqueue({ kind: 'validate', exercise, options }, allowanceFor(gradings * gradingCpuMs(exercise, options)), {
      died: () => broken('grading ran out of memory'),
      stuck: () => broken('validation took far too long and was stopped'),
      failed: (error) => broken(`the grader failed: ${(error as Error).message}`),
    }, onCheck && ((progress) => onCheck(progress.check)));
  }

  /** What the child sees of itself, resident memory included (starting a child if none runs); null when it cannot answer. */
  inspect(): Promise<ChildReport | null> {
    return this.enqueue({ kind: 'inspect' }, allowanceFor(WATCHDOG_GRACE_MS), { died: () => null, stuck: () => null, failed: () => null });
  }

  /** The current child's pid (the outermost process of its walls), if one is running. */
  get childPid(): number | undefined {
    return this.child?.process.pid;
  }

  /** Stops the child; a later job starts a new one. */
  close(): void {
    this.child?.process.kill('SIGKILL');
    this.child = null;
  }

  /** Requests run one at a time, in order. */
  private enqueue<T>(request: DistributiveOmit<SandboxRequest, 'id'>, allowance: JobAllowance, fallback: Fallback<T>, onProgress?: (progress: Progress) => void): Promise<T> {
    const answer = this.queue.then(() => this.ask(request, allowance, fallback, onProgress));
    this.queue = answer;
    return answer;
  }

  private async ask<T>(request: DistributiveOmit<SandboxRequest, 'id'>, allowance: JobAllowance, fallback: Fallback<T>, onProgress?: (progress: Progress) => void): Promise<T> {
    let child: ChildProcess;
    try {
      const started = this.liveChild();
      await started.ready;
      child = started.process;
    } catch (error) {
      return fallback.failed(error);
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const finish = (result: T) => {
        stopWatching();
        child.off('message', onMessage).off('exit', onExit).off('error', onError);
        resolve(result);
      };
      const onMessage = (reply: SandboxReply) => {
        if (reply.id !== id) return;
        if (reply.kind === 'validate-check') onProgress?.(reply);
        else finish(reply.result as T);
      };
      // V8 aborts the whole process on an out-of-memory it cannot recover from.
      const onExit = () => {
        this.forget(child);
        finish(fallback.died());
      };
      const onError = (error: Error) => {
        this.forget(child);
        finish(fallback.failed(error));
      };
      const stopWatching = watch(child.pid!, allowance, (why) => {
        this.forget(child);
        finish(fallback.stuck(why));
      });
      child.on('message', onMessage).on('exit', onExit).on('error', onError);
      child.send({ ...request, id } as SandboxRequest);
    });
  }

  private liveChild(): { process: ChildProcess; ready: Promise<void> } {
    if (this.child) return this.child;
    const walls = sandboxWalls(this.childArgs, this.walls);
    const child = spawn(walls.command, walls.args, {
      // Exactly the walls' environment; the cast only quiets Next's typing, which requires NODE_ENV.
      env: walls.env as NodeJS.ProcessEnv,
      uid: walls.uid,
      gid: walls.gid,
      // Structured clone keeps what JSON cannot (Infinity capacities, undefined).
      serialization: 'advanced',
      // The child never owns our stdout: `--json` output must stay one document.
      stdio: ['ignore', 2, 2, 'ipc'],
      // A session of its own, whose scheduling group the child lowers (OWN_SESSION_FLAG).
      detached: true,
    });
    const ready = new Promise<void>((resolve, reject) => {
      const startTimer = setTimeout(() => {
        this.forget(child);
        reject(new Error(`the sandbox process was not ready after ${CHILD_START_LIMIT_MS / 1000} s`));
      }, CHILD_START_LIMIT_MS);
      const onMessage = (message: unknown) => {
        if (message !== CHILD_READY) return;
        clearTimeout(startTimer);
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      child.once('exit', (code, signal) => {
        clearTimeout(startTimer);
        // A wall that stood when probed may be gone (bubblewrap uninstalled): the next child looks again.
        reprobeWalls();
        reject(new Error(`the sandbox process stopped before it was ready (${signal ?? `exit code ${code}`})`));
      });
      child.once('error', reject);
    });
    // Nobody may be waiting when it fails: the next job sees the rejection through ask().
    ready.catch(() => undefined);
    // Between jobs too: a child that died or failed is replaced by the next job.
    child.once('exit', () => this.forget(child)).on('error', () => this.forget(child));
    this.child = { process: child, ready };
    return this.child;
  }

  /** Drops a child that died, failed or outlived its job: killed at once, so nothing it does lingers. */
  private forget(child: ChildProcess): void {
    if (this.child?.process === child) this.child = null;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** CPU time a grading may use before the watchdog kills the child: compiling, the grading's own budget, and what may run past it. */
function gradingCpuMs(exercise: ExercisePackage, options: GradeOptions = {}): number {
  const limits = resolveLimits(readMetadata(exercise)?.limits);
  return COMPILE_LIMIT_MS + (options.budgetMs ?? JOB_BUDGET_MS) + RUN_LIMITS_PAST_BUDGET * limits.cpuMs + WATCHDOG_GRACE_MS;
}

/** The package's metadata, or null when it is invalid: the child refuses such a package at once, so the defaults serve. */
function readMetadata(exercise: ExercisePackage): ExerciseMetadata | null {
  try {
    return parseExercise(exercise.slug, exercise.files).metadata;
  } catch {
    return null;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a request resolves to when the child cannot answer it. */
interface Fallback<T> {
  died(): T;
  stuck(why: Overrun): T;
  failed(error: unknown): T;
}
