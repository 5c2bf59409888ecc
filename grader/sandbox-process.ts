/**
 * The child process that owns the isolates (bundled to dist/sandbox-process.js, started by
 * SandboxClient). When V8 dies of an out-of-memory here, the caller loses one job, not itself.
 */
import { InvalidExerciseError, parseExercise } from './exercise';
import { grade, validate } from './grade';
import { crashResult } from './run-result';
import type { SandboxReply, SandboxRequest } from './sandbox-client';
import { runJob } from './sandbox';

async function answer(request: SandboxRequest): Promise<SandboxReply> {
  switch (request.kind) {
    case 'run':
      return { id: request.id, kind: 'run', result: await runJob(request.job) };
    case 'grade': {
      const { exercise, submission, options } = request.task;
      return { id: request.id, kind: 'grade', result: await grade(parseExercise(exercise.slug, exercise.files), submission, options) };
    }
    case 'validate':
      try {
        return { id: request.id, kind: 'validate', result: await validate(parseExercise(request.exercise.slug, request.exercise.files), request.options) };
      } catch (error) {
        if (error instanceof InvalidExerciseError) return { id: request.id, kind: 'validate', result: { invalid: error.problems } };
        throw error;
      }
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
});

// The parent closed the channel (or died): nothing more will come.
process.on('disconnect', () => process.exit(0));
