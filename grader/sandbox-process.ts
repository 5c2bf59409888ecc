/**
 * The child process that owns the isolates (bundled to dist/sandbox-process.js, started by
 * SandboxClient). When V8 dies of an out-of-memory here, the caller loses one job, not itself.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { getPriority, networkInterfaces } from 'node:os';
import { InvalidExerciseError, parseExercise, type Exercise } from './exercise';
import { grade, warmUpNextRealm } from './grade';
import { validate, type ValidationCheck } from './validate';
import { crashResult } from '../common/run-result';
import { CHILD_READY, GRADINGS_PER_ISOLATE_FLAG, OWN_SESSION_FLAG, type ChildReport, type SandboxReply, type SandboxRequest } from './sandbox-client';
import { runJob } from './sandbox';
import { configureIsolates, prepareSandbox } from './session';

/** Where Linux shows and sets the scheduling group of this process's session. */
const AUTOGROUP = '/proc/self/autogroup';

/** The exercise of the last grading: the next submission is likely of it too, so its reference warms the next realm. */
let lastExercise: Exercise | null = null;
/** The warm-ups started after each answer, in turn: one that a job interrupted ends before the next begins. */
let warmUps: Promise<void> = Promise.resolve();
/** A warm-up is waiting in that chain: a later answer need not add another. */
let warmUpWaiting = false;

/** Warms the next realm with the last exercise's reference solution until a job arrives (grade.ts's warmUpNextRealm). */
function warmUpWhileIdle(): void {
  if (warmUpWaiting) return;
  warmUpWaiting = true;
  warmUps = warmUps.then(() => {
    warmUpWaiting = false;
    return lastExercise ? warmUpNextRealm(lastExercise) : undefined;
  });
}

async function answer(request: SandboxRequest): Promise<SandboxReply> {
  switch (request.kind) {
    case 'run':
      return { id: request.id, kind: 'run', result: await runJob(request.job) };
    case 'grade': {
      const { exercise, submission, options } = request.task;
      lastExercise = parseExercise(exercise.slug, exercise.files);
      return { id: request.id, kind: 'grade', result: await grade(lastExercise, submission, options) };
    }
    case 'validate':
      try {
        const exercise = parseExercise(request.exercise.slug, request.exercise.files);
        const progress = (check: ValidationCheck) => process.send?.({ id: request.id, kind: 'validate-check', check } satisfies SandboxReply);
        return { id: request.id, kind: 'validate', result: await validate(exercise, request.options, progress) };
      } catch (error) {
        if (error instanceof InvalidExerciseError) return { id: request.id, kind: 'validate', result: { invalid: error.problems } };
        throw error;
      }
    case 'inspect':
      return { id: request.id, kind: 'inspect', result: inspectSelf() };
  }
}

/** Whatever goes wrong answers the request: a child that died would be taken for an out-of-memory. */
function failure(request: SandboxRequest, error: unknown): SandboxReply {
  const reason = error instanceof InvalidExerciseError ? error.message : `the grader failed (not your fault): ${(error as Error).message}`;
  switch (request.kind) {
    case 'run':
      return { id: request.id, kind: 'run', result: crashResult(error, request.job.settings) };
    case 'grade':
      return {
        id: request.id, kind: 'grade',
        result: { status: 'internal-error', message: reason, score: 0, maxScore: 0, tests: [], durationMs: 0, phases: {}, runs: 0 },
      };
    case 'validate':
      return { id: request.id, kind: 'validate', result: [{ ok: false, line: reason }] };
    case 'inspect':
      return { id: request.id, kind: 'inspect', result: null };
  }
}

function inspectSelf(): ChildReport {
  const dataLimit = /^Max data size\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
  return {
    residentMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
    environment: Object.keys(process.env).sort(),
    uid: process.getuid?.() ?? -1,
    dataCapMb: dataLimit === undefined || dataLimit === 'unlimited' ? null : Math.round(Number(dataLimit) / 2 ** 20),
    networkInterfaces: Object.keys(networkInterfaces()).sort(),
    threadNiceness: [...new Set(readdirSync('/proc/self/task').flatMap(threadNiceness))].sort((a, b) => a - b),
    sessionNiceness: sessionNiceness(),
    nodeFlags: process.execArgv,
  };
}

/** The nice value of this process's session's scheduling group (Linux's autogroup), or null where the kernel has none. */
function sessionNiceness(): number | null {
  try {
    const niceness = / nice (-?\d+)/.exec(readFileSync(AUTOGROUP, 'utf8'))?.[1];
    return niceness === undefined ? null : Number(niceness);
  } catch {
    return null;
  }
}

/**
 * Gives this process's session the nice value of its threads. Linux lets an unprivileged process
 * change an autogroup's nice value once per 100 ms machine-wide, so a refused try waits and tries again.
 */
async function lowerOwnSession(niceness: number): Promise<void> {
  for (let attempt = 0; attempt < 50 && (sessionNiceness() ?? niceness) < niceness; attempt++) {
    try {
      writeFileSync(AUTOGROUP, String(niceness));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** A thread's nice value (field 19 of its stat line, counted after the command name, which may hold spaces); none for a thread that has just ended. */
function threadNiceness(tid: string): number[] {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
  } catch {
    return [];
  }
}

process.on('message', async (request: SandboxRequest) => {
  let reply: SandboxReply;
  try {
    reply = await answer(request);
  } catch (error) {
    reply = failure(request, error);
  }
  process.send?.(reply);
  // Once the answer is on its way: until the next job arrives, the next realm warms up.
  warmUpWhileIdle();
});

// The parent closed the channel (or died): nothing more will come.
process.on('disconnect', () => process.exit(0));

/** Grading starts at the session's lower priority, not before. */
const sessionLowered = process.argv.includes(OWN_SESSION_FLAG) ? lowerOwnSession(getPriority()) : Promise.resolve();

const gradingsPerIsolate = process.argv.find((arg) => arg.startsWith(GRADINGS_PER_ISOLATE_FLAG));
if (gradingsPerIsolate) configureIsolates({ gradingsPerIsolate: Number(gradingsPerIsolate.slice(GRADINGS_PER_ISOLATE_FLAG.length)) });

// The client starts a job's clock only once the compiler and the first isolate are ready.
void Promise.all([prepareSandbox(), sessionLowered]).then(() => process.send?.(CHILD_READY));
