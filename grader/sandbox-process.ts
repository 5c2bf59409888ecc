/**
 * The child process that owns the isolates (bundled to dist/sandbox-process.js, started by
 * SandboxClient). When V8 dies of an out-of-memory here, the caller loses one job, not itself.
 */
import type { SandboxReply, SandboxRequest } from './sandbox-client';
import { Sandbox } from './sandbox';

const sandbox = new Sandbox();

process.on('message', async ({ id, job }: SandboxRequest) => {
  const reply: SandboxReply = { id, result: await sandbox.run(job) };
  process.send?.(reply);
});

// The parent closed the channel (or died): nothing more will come.
process.on('disconnect', () => process.exit(0));
