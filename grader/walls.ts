/**
 * The second wall: how the sandbox's child process is started, so that a
 * student who escaped V8 would still hold nothing. It starts with an empty
 * environment (the worker's DATABASE_URL and REDIS_URL stay behind), under a
 * kernel-enforced cap on its data memory, as an unprivileged user when the
 * caller runs as root, and, where Linux allows it, inside bubblewrap: its own
 * network (loopback only), PID and mount namespaces, the system and the project
 * mounted read-only, and a private /tmp. What could not be set up is said,
 * never silently skipped: `rendezvous doctor` prints it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { getPriority } from 'node:os';
import path from 'node:path';

/** The project (dist/, node_modules/): the only folder the child can see besides the system's programs and libraries. */
const PROJECT_ROOT = path.join(__dirname, '..');
/** The conventional uid and gid of `nobody` (Debian, Alpine, RHEL). */
const NOBODY = 65534;
/** The system's programs and libraries, mounted read-only inside the namespaces (the ones that exist here). */
const SYSTEM_FOLDERS = ['/usr', '/lib', '/lib64', '/bin'];

export interface WallOptions {
  /** Cap on the child's data memory (RLIMIT_DATA), in MiB: past it an allocation fails and the child dies. */
  memoryCapMb: number;
  /** Variables the child gets besides TZ=UTC; nothing of the caller's environment is passed on. */
  env?: Record<string, string>;
  /** The child's nice value (0 to 19); undefined keeps the caller's. */
  niceness?: number;
}

/** How to start the child, and a line per wall saying whether it stands. */
export interface Walls {
  command: string;
  args: string[];
  env: Record<string, string>;
  uid?: number;
  gid?: number;
  report: string[];
}

/** The project's node_modules where it really is, when a link points elsewhere (a workspace, pnpm's store). */
function linkedModules(): string[] {
  const modules = path.join(PROJECT_ROOT, 'node_modules');
  const real = existsSync(modules) ? realpathSync(modules) : modules;
  return real === modules ? [] : ['--ro-bind', real, real];
}

/** bubblewrap's arguments: namespaces, no network, a read-only view of the system and the project. */
function bubblewrapArgs(): string[] {
  return [
    // First, so that a project under /tmp (a CI clone) is bound on top of the private /tmp rather than hidden by it.
    '--tmpfs', '/tmp',
    ...SYSTEM_FOLDERS.flatMap((folder) => ['--ro-bind-try', folder, folder]),
    '--ro-bind', PROJECT_ROOT, PROJECT_ROOT,
    ...linkedModules(),
    '--proc', '/proc',
    '--dev', '/dev',
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--chdir', PROJECT_ROOT,
  ];
}

/** No variables at all; typed as an environment because Next's typing of one requires NODE_ENV. */
const EMPTY_ENVIRONMENT = {} as NodeJS.ProcessEnv;

/** What the child needs that a wall could hide: Node itself, and isolated-vm's native module from the project. */
const PROBE = [process.execPath, '-e', "require('isolated-vm')"];

/** Whether Node loads isolated-vm from the project as `uid` (inside bubblewrap when asked); why not, when it does not. */
function probe(uid: number | undefined, inBubblewrap: boolean): string | null {
  const [command, ...args] = inBubblewrap ? ['bwrap', ...bubblewrapArgs(), '--', ...PROBE] : PROBE;
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, env: EMPTY_ENVIRONMENT, uid, gid: uid, encoding: 'utf8', timeout: 10_000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' && inBubblewrap) return 'bwrap is not installed (Debian package bubblewrap)';
  if (result.error) return result.error.message;
  const lines = result.stderr.trim().split('\n').filter((line) => line.trim() !== '');
  if (result.status !== 0) return lines.find((line) => /error/i.test(line)) ?? lines.at(-1) ?? `exit code ${result.status}`;
  return null;
}

/** The user the child runs as (undefined: the caller's), why root could not drop to nobody, and why bubblewrap is absent. */
let probed: { uid?: number; userProblem: string | null; bubblewrap: string | null } | null = null;

function probeWalls(): NonNullable<typeof probed> {
  if (process.getuid?.() !== 0) return { userProblem: null, bubblewrap: probe(undefined, true) };
  const userProblem = probe(NOBODY, false);
  const uid = userProblem === null ? NOBODY : undefined;
  return { uid, userProblem, bubblewrap: probe(uid, true) };
}

/** Looks again at what this machine allows when the next child starts: one started behind these walls failed to. */
export function reprobeWalls(): void {
  probed = null;
}

/** The walls this machine allows (found once per process) around `node nodeArgs…`. */
export function sandboxWalls(nodeArgs: string[], options: WallOptions): Walls {
  probed ??= probeWalls();
  const { uid, userProblem, bubblewrap } = probed;
  const node = [process.execPath, ...nodeArgs];
  const capKiB = options.memoryCapMb * 1024;
  const inner = bubblewrap === null ? ['bwrap', ...bubblewrapArgs(), '--', ...node] : node;
  // `nice` adds to the caller's value; it starts the child's first thread, so every thread it makes (isolates included) inherits it.
  const increment = options.niceness === undefined ? 0 : options.niceness - getPriority();
  return {
    // The shell sets the cap (soft and hard, so the child cannot raise it) and replaces itself.
    command: '/bin/sh',
    args: ['-c', `ulimit -d ${capKiB} && exec "$0" "$@"`, ...(increment > 0 ? ['nice', '-n', String(increment)] : []), ...inner],
    // Student code sees dates in one time zone whichever machine grades it.
    env: { ...options.env, TZ: 'UTC' },
    uid,
    gid: uid,
    report: [
      'environment: empty (TZ=UTC only): the caller\'s variables stay behind',
      `memory: data capped at ${options.memoryCapMb} MiB (RLIMIT_DATA), beside each isolate's own limit`,
      uid !== undefined ? `user: nobody (${NOBODY}), dropped from root`
        : userProblem !== null ? `user: root, NOT dropped, because nobody cannot load the sandbox from ${PROJECT_ROOT}: ${userProblem}`
          : `user: uid ${process.getuid?.() ?? 'unknown'}, as the caller (not root, so nothing to drop)`,
      increment > 0
        ? `priority: nice ${options.niceness}, below the caller's ${getPriority()}, its session's scheduling group too`
        : `priority: nice ${getPriority()}, as the caller`,
      bubblewrap === null ? 'namespaces: bubblewrap (own network (loopback only), PID and mount namespaces; system and project read-only, private /tmp)'
        : `namespaces: NONE, because ${bubblewrap}`,
    ],
  };
}
