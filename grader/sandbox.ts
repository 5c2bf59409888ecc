/**
 * `rendezvous run`'s job: a set of programs from source, run once. It goes
 * through the same session as a grading (the same realm, limits and
 * cut-offs), with one module per distinct source.
 */
import type { RunResult } from '../kernel';
import type { SourceFile } from './exercise';
import type { ProgramLaunch } from './harness';
import type { SandboxJob } from '../common/job';
import { resultWithoutRun } from '../common/run-result';
import { GradingSession } from './session';

/** Runs a job to its end. Never rejects: every failure is a RunResult. */
export async function runJob(job: SandboxJob): Promise<RunResult> {
  const modules: SourceFile[] = [];
  const programs: ProgramLaunch[] = job.programs.map(({ source, fileName, ...launch }) => {
    let module = modules.findIndex((known) => known.source === source && known.fileName === fileName);
    if (module < 0) module = modules.push({ source, fileName }) - 1;
    return { ...launch, module };
  });
  const session = await GradingSession.open(modules, job.limits);
  if ('compileError' in session) return resultWithoutRun('compile-error', session.compileError, job.settings);
  try {
    return session.runOne({ programs, settings: job.settings });
  } finally {
    session.close();
  }
}
