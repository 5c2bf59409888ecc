/**
 * The `rendezvous run` command that replays a run exactly: the downloaded schedule, the code, and
 * the run's arguments, stdin and kernel settings as options (cli.md), or, for programs the
 * options cannot start (other exports, arguments that are not text), a --programs file listing
 * them. A run with a setting the command line has no option for (a socket's capacity, race
 * detection off: nothing in the product sets them) gets a sentence saying so instead of a command
 * that would run something else.
 */
import type { ProgramLaunch, RunRequest } from '../grader/harness';
import { FIRST_HOST } from '../kernel/types';

/** The command, with the text of the --programs file it reads when the run needs one; or why there is no command. */
export type ReplayCommand = { command: string; programs: string | null } | { unavailable: string };

/** The files the command names. */
export interface ReplayFiles {
  program: string;
  replay: string;
  programs: string;
}

/** The settings the command line has no option for: nothing in the product sets them, so a run that does gets no command. */
const WITHOUT_OPTION = ['socketCapacity', 'detectRaces'] as const;

/** One shell word: as it is when it is plain, else in single quotes (a quote inside closed, escaped and reopened). */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The options that start `programs` the way `--arg`, `--stdin` and `--host` can: the default
 * export on 10.0.0.1 with text arguments, and on each other host the default export with none.
 * Null when they cannot, and a --programs file must list them.
 */
function programOptions(programs: readonly ProgramLaunch[], programFile: string): string[] | null {
  const [first, ...others] = programs;
  if (programs.some((program) => (program.entry ?? 'default') !== 'default') || (first.host ?? FIRST_HOST) !== FIRST_HOST) return null;
  const argv = first.argv ?? [];
  if (argv.some((arg) => typeof arg !== 'string')) return null;
  const words = (argv as string[]).flatMap((arg) => ['--arg', shellWord(arg)]);
  if (first.stdin) words.push('--stdin', shellWord(first.stdin));
  const hosts = new Set([FIRST_HOST]);
  for (const program of others) {
    const host = program.host ?? FIRST_HOST;
    if (hosts.has(host) || (program.argv ?? []).length > 0 || program.stdin) return null;
    hosts.add(host);
    words.push('--host', `${host}=${programFile}`);
  }
  return words;
}

/** The command that replays `request` with the schedule and code saved as `files` name them, or why there is none. */
export function replayCommand(request: RunRequest, files: ReplayFiles): ReplayCommand {
  const programs = request.programs.length > 0 ? request.programs : [{}];
  const settings = request.settings;
  for (const key of WITHOUT_OPTION) {
    if (settings[key] !== undefined) return { unavailable: `The command line has no option for ${key} (${String(settings[key])} in this run): replay it here.` };
  }

  const words = ['npx', 'rendezvous', 'run', files.program, '--replay', files.replay, '--trace'];
  const options = programOptions(programs, files.program);
  // What the options cannot say (other exports, arguments that are not text, several programs with arguments) a file lists.
  const listing = options ? null : JSON.stringify(programs.map(({ entry, host, argv, stdin }) => ({ entry, host, argv, stdin: stdin || undefined })), null, 2);
  words.push(...(options ?? ['--programs', files.programs]));
  if (settings.enable !== undefined && settings.enable !== 'all') words.push('--enable', settings.enable.join(','));
  for (const [path, text] of Object.entries(settings.files ?? {})) words.push('--file', shellWord(`${path}=${text}`));
  // In the run's order: a host's place among them seeds its first process's Math.random.
  if (settings.hosts && settings.hosts.length > 0) words.push('--hosts', settings.hosts.join(','));
  const faults = Object.entries(settings.network ?? {}).filter(([, chance]) => chance !== undefined);
  if (faults.length > 0) words.push('--network', faults.map(([name, chance]) => `${name}=${chance}`).join(','));
  const capacity = (value: number) => (value === Infinity ? 'inf' : String(value));
  if (settings.linkCapacity !== undefined) words.push('--link-capacity', capacity(settings.linkCapacity));
  if (settings.mailboxCapacity !== undefined) words.push('--mailbox-capacity', capacity(settings.mailboxCapacity));
  if (settings.msgqueueCapacity !== undefined) words.push('--msgqueue-capacity', String(settings.msgqueueCapacity));
  if (settings.outputLimit !== undefined) words.push('--output-limit', String(settings.outputLimit));
  if (settings.pipeCapacity !== undefined) words.push('--pipe-capacity', String(settings.pipeCapacity));
  if (settings.pipeBuf !== undefined) words.push('--pipe-buf', String(settings.pipeBuf));
  if (settings.maxProcs !== undefined) words.push('--max-procs', String(settings.maxProcs));
  if (settings.maxSteps !== undefined) words.push('--max-steps', String(settings.maxSteps));
  return { command: words.join(' '), programs: listing };
}
