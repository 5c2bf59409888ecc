/**
 * What the editor's TypeScript program adds to the student's file: the sandbox's
 * globals and the student API's types without an import, as a run sees them.
 */

/** Where the declarations and the student's file live in the language service's file system. */
export const SYS_DECLARATIONS_PATH = '/sys.d.ts';
export const SANDBOX_GLOBALS_PATH = '/sandbox-globals.d.ts';
export const STUDENT_FILE_PATH = '/main.ts';

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
