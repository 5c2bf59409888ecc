/**
 * What the benchmarks use of the product, bundled by bench/support/build.mjs
 * into one CommonJS file that plain Node loads: the kernel as the tests run it
 * in Node, the grading session that runs it inside isolated-vm, grade(), and
 * the pieces grade() is made of (for experiments that time them one by one).
 */
export { Kernel } from '../../kernel';
export type { RunOptions, RunResult } from '../../kernel';
export { GradingSession, configureIsolates } from '../../grader/session';
export { DEFAULT_GRADINGS_PER_ISOLATE } from '../../common/job';
export { grade, exerciseDefaults, warmUpNextRealm } from '../../grader/grade';
export { loadExercise } from '../../grader/exercise';
export { loadTests, runTest } from '../../grader/harness';
export { compileProgram } from '../../common/compile';
export { moduleFrom } from '../../test/support/kernel';
export { soak } from '../../test/support/soak';
