/**
 * The caller's side of the sandbox: runs jobs in a child process that it replaces whenever the
 * child dies, so a V8 crash inside an isolate costs one job its result, never the caller.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RunResult } from '../kernel';
import type { PackageFiles, SourceFile } from './exercise';
import type { GradeOptions, GradeResult, ValidationCheck } from './grade';
import { resolveLimits, type SandboxJob } from './job';
import { crashResult, memoryLimitResult, timeoutResult } from './run-result';

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
  | { id: number; kind: 'validate'; exercise: ExercisePackage; options?: GradeOptions };

export type SandboxReply =
  | { id: number; kind: 'run'; result: RunResult }
  | { id: number; kind: 'grade'; result: GradeResult }
  | { id: number; kind: 'validate'; result: ValidationCheck[] | { invalid: string[] } };

type Answer<K extends SandboxRequest['kind']> = Extract<SandboxReply, { kind: K }>['result'];

/** A grading that outlives this is stuck: every run has its own limit, so a whole suite never needs this long. */
const GRADING_ALLOWANCE_MS = 10 * 60_000;

/** Built by scripts/build.mjs; the same relative path holds from grader/ (tests) and dist/ (bundles). */
const CHILD_ENTRY = path.join(__dirname, '..', 'dist', 'sandbox-process.js');

/**
 * The child enforces the CPU limit itself; the client kills a child only when a job outlives its
 * CPU limit by this much real time, which means the child is stuck.
 */
const STUCK_CHILD_ALLOWANCE_MS = 15_000;

export class SandboxClient {
  private child: ChildProcess | null = null;
  private nextId = 1;
  /** Jobs run one at a time: the tail of the queue. */
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs a job in the child. Never rejects: a dead or stuck child is a RunResult too. */
  run(job: SandboxJob): Promise<RunResult> {
    const limits = resolveLimits(job.limits);
    return this.enqueue({ kind: 'run', job }, limits.cpuMs + STUCK_CHILD_ALLOWANCE_MS, {
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
    return this.enqueue({ kind: 'grade', task }, GRADING_ALLOWANCE_MS, {
      died: () => stopped('memory-limit', 'Grading ran out of memory: the program allocates without end?'),
      stuck: () => stopped('timeout', 'Grading took far too long and was stopped.'),
      failed: (error) => stopped('internal-error', `The grader failed (not your fault): ${(error as Error).message}`),
    });
  }

  /** Validates an exercise in the child: its reference passes, its starter and known-wrong solutions do not. */
  validate(exercise: ExercisePackage, options?: GradeOptions): Promise<Answer<'validate'>> {
    const broken = (line: string): ValidationCheck[] => [{ ok: false, line }];
    return this.enqueue({ kind: 'validate', exercise, options }, GRADING_ALLOWANCE_MS, {
      died: () => broken('grading ran out of memory'),
      stuck: () => broken('validation took far too long and was stopped'),
      failed: (error) => broken(`the grader failed: ${(error as Error).message}`),
    });
  }

  /** The current child's pid, if one is running. */
  get childPid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops the child; a later job starts a new one. */
  close(): void {
    this.child?.kill();
    this.child = null;
  }

  /** Requests run one at a time, in order. */
  private enqueue<T>(request: DistributiveOmit<SandboxRequest, 'id'>, stuckAfterMs: number, fallback: Fallback<T>): Promise<T> {
    const answer = this.queue.then(() => this.ask(request, stuckAfterMs, fallback));
    this.queue = answer;
    return answer;
  }

  private ask<T>(request: DistributiveOmit<SandboxRequest, 'id'>, stuckAfterMs: number, fallback: Fallback<T>): Promise<T> {
    let child: ChildProcess;
    try {
      child = this.liveChild();
    } catch (error) {
      return Promise.resolve(fallback.failed(error));
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const finish = (result: T) => {
        clearTimeout(stuckTimer);
        child.off('message', onMessage).off('exit', onExit).off('error', onError);
        resolve(result);
      };
      const onMessage = (reply: SandboxReply) => {
        if (reply.id === id) finish(reply.result as T);
      };
      // V8 aborts the whole process on an out-of-memory it cannot recover from.
      const onExit = () => {
        this.forget(child);
        finish(fallback.died());
      };
      const onError = (error: Error) => {
        this.forget(child);
        child.kill('SIGKILL');
        finish(fallback.failed(error));
      };
      const stuckTimer = setTimeout(() => {
        this.forget(child);
        child.kill('SIGKILL');
        finish(fallback.stuck());
      }, stuckAfterMs);
      child.on('message', onMessage).on('exit', onExit).on('error', onError);
      child.send({ ...request, id } as SandboxRequest);
    });
  }

  private liveChild(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(CHILD_ENTRY, [], {
      execArgv: ['--no-node-snapshot'],
      // Student code sees dates in one time zone whichever machine grades it.
      env: { ...process.env, TZ: 'UTC' },
      // Structured clone keeps what JSON cannot (Infinity capacities, undefined).
      serialization: 'advanced',
      // The child never owns our stdout: `--json` output must stay one document.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    // Between jobs too: a child that died or failed is replaced by the next job.
    child.once('exit', () => this.forget(child)).on('error', () => {
      this.forget(child);
      child.kill('SIGKILL');
    });
    this.child = child;
    return child;
  }

  private forget(child: ChildProcess): void {
    if (this.child === child) this.child = null;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a request resolves to when the child cannot answer it. */
interface Fallback<T> {
  died(): T;
  stuck(): T;
  failed(error: unknown): T;
}
