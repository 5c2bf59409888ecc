/**
 * The caller's side of the sandbox: runs jobs in a child process that it replaces whenever the
 * child dies, so a V8 crash inside an isolate costs one job its result, never the caller.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RunResult } from '../kernel';
import { resolveLimits, type SandboxJob } from './job';
import { crashResult, memoryLimitResult, timeoutResult } from './run-result';

export interface SandboxRequest {
  id: number;
  job: SandboxJob;
}

export interface SandboxReply {
  id: number;
  result: RunResult;
}

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
    const result = this.queue.then(() => this.runInChild(job));
    this.queue = result;
    return result;
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

  private runInChild(job: SandboxJob): Promise<RunResult> {
    const limits = resolveLimits(job.limits);
    let child: ChildProcess;
    try {
      child = this.liveChild();
    } catch (error) {
      return Promise.resolve(crashResult(error, job.settings));
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const finish = (result: RunResult) => {
        clearTimeout(stuckTimer);
        child.off('message', onMessage).off('exit', onExit).off('error', onError);
        resolve(result);
      };
      const onMessage = (reply: SandboxReply) => {
        if (reply.id === id) finish(reply.result);
      };
      // V8 aborts the whole process on an out-of-memory it cannot recover from.
      const onExit = () => {
        this.forget(child);
        finish(memoryLimitResult(limits, job.settings));
      };
      const onError = (error: Error) => {
        this.forget(child);
        child.kill('SIGKILL');
        finish(crashResult(error, job.settings));
      };
      const stuckTimer = setTimeout(() => {
        this.forget(child);
        child.kill('SIGKILL');
        finish(timeoutResult(limits, job.settings));
      }, limits.cpuMs + STUCK_CHILD_ALLOWANCE_MS);
      child.on('message', onMessage).on('exit', onExit).on('error', onError);
      child.send({ id, job } satisfies SandboxRequest);
    });
  }

  private liveChild(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(CHILD_ENTRY, [], {
      execArgv: ['--no-node-snapshot'],
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
