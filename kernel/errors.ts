/** The errno names the kernel uses; a failing call rejects with a SysError carrying one. */
export type Errno =
  | 'EBADF' | 'EPIPE' | 'EAGAIN' | 'ECHILD' | 'EINTR' | 'ENOENT' | 'EEXIST' | 'ESRCH'
  | 'EINVAL' | 'EIDRM' | 'ECONNREFUSED' | 'EADDRINUSE' | 'ENOTCONN' | 'EPERM' | 'ENXIO'
  | 'ENOSYS' | 'EISDIR' | 'ENOTDIR' | 'EACCES' | 'EDEADLK' | 'EISCONN' | 'EOPNOTSUPP'
  | 'EDESTADDRREQ' | 'EMSGSIZE' | 'ECONNRESET' | 'ENOTSOCK' | 'EAFNOSUPPORT' | 'EADDRNOTAVAIL'
  | 'ETIMEDOUT' | 'ENOMEM' | 'ENOSPC' | 'ENOEXEC' | 'EMFILE';

/** The error every failing `sys` call rejects with; also a global in the sandbox. */
export class SysError extends Error {
  readonly code: Errno;
  readonly syscall: string;

  constructor(code: Errno, syscall: string, message: string) {
    super(message);
    this.code = code;
    this.syscall = syscall;
  }

  get name(): string {
    return 'SysError';
  }
}

/** Builds the SysError for `call` failing with `code`; `why` is the student-facing sentence. */
export function sysError(code: Errno, call: string, why: string): SysError {
  return new SysError(code, call, `${call}: ${why} (${code})`);
}
