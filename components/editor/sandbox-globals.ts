/**
 * What the editor's TypeScript program adds to the student's file: the sandbox's
 * globals and the student API's types without an import, as a run sees them; and
 * to an exercise's test file, the test harness's types.
 */

/** Where the declarations and the student's file live in the language service's file system. */
export const SYS_DECLARATIONS_PATH = '/sys.d.ts';
export const SANDBOX_GLOBALS_PATH = '/sandbox-globals.d.ts';
export const STUDENT_FILE_PATH = '/main.ts';

/**
 * A test file sits where the pack's do, so their `import type { Suite } from '../../../grader/harness'`
 * finds the harness's declarations (dist/harness-declarations.json, laid out from the root).
 */
export const TEST_FILE_PATH = '/exercises/draft/tests/visible.ts';
export const TEST_GLOBALS_PATH = '/test-globals.d.ts';

/** A script, so a test file may also name the harness's types without importing them. */
export const TEST_GLOBALS = `
type Suite = import('./grader/harness').Suite;
type TestContext = import('./grader/harness').TestContext;
type TestOptions = import('./grader/harness').TestOptions;
type RunSpec = import('./grader/harness').RunSpec;
type ExploreSpec = import('./grader/harness').ExploreSpec;
type Property = import('./grader/properties').Property;
`;

/** A script (not a module), so every name here is global; it reads the types from SYS_DECLARATIONS_PATH. */
export const SANDBOX_GLOBALS = `
type Sys = import('./sys').Sys;
type SysError = import('./sys').SysError;
declare var SysError: typeof import('./sys').SysError;
type Errno = import('./sys').Errno;
type SignalName = import('./sys').SignalName;
type Segment = import('./sys').Segment;
type Semaphore = import('./sys').Semaphore;
type Mutex = import('./sys').Mutex;
type CondVar = import('./sys').CondVar;
type SocketAddress = import('./sys').SocketAddress;
type SocketName = import('./sys').SocketName;

/** Writes to the run's debug log shown to you: not stdout, and not a scheduling point. */
declare var console: {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
};
`;
