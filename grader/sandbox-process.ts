/**
 * The child process that owns the isolates (bundled to dist/sandbox-process.js, started by
 * SandboxClient). When V8 dies of an out-of-memory here, the caller loses one job, not itself.
 */
import { InvalidExerciseError, parseExercise } from './exercise';
import { grade, validate } from './grade';
import type { SandboxReply, SandboxRequest } from './sandbox-client';
import { Sandbox } from './sandbox';

const sandbox = new Sandbox();

async function answer(request: SandboxRequest): Promise<SandboxReply> {
  switch (request.kind) {
    case 'run':
      return { id: request.id, kind: 'run', result: await sandbox.run(request.job) };
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

process.on('message', async (request: SandboxRequest) => {
  process.send?.(await answer(request));
});

// The parent closed the channel (or died): nothing more will come.
process.on('disconnect', () => process.exit(0));
