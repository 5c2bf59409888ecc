/**
 * The `rendezvous run` command that replays a run exactly: the downloaded schedule, the code, and
 * the run's arguments, stdin and kernel settings as options (cli.md). Some runs the command line
 * cannot start (an export other than the default, arguments that are not text, a setting it has
 * no option for): the answer then says why, in a sentence, instead of a command that would run
 * something else.
 */
import type { RunRequest } from '../grader/harness';
import { FIRST_HOST } from '../kernel/types';

export type ReplayCommand = { command: string } | { unavailable: string };

/** The kernel's defaults for the settings the command line has no option for: a run that keeps to them needs none. */
const WITHOUT_OPTION: Record<string, unknown> = { mailboxCapacity: 8, msgqueueCapacity: 8, outputLimit: 64 * 1024, socketCapacity: 4096, detectRaces: true };

/** `a`, `a and b`, `a, b and c`. */
function listed(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** One shell word: as it is when it is plain, else in single quotes (a quote inside closed, escaped and reopened). */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command that replays `request` with `replayFile`'s schedule and `programFile`'s code, or why there is none. */
export function replayCommand(request: RunRequest, programFile: string, replayFile: string): ReplayCommand {
  const [first, ...others] = request.programs.length > 0 ? request.programs : [{}];
  const words = ['npx', 'rendezvous', 'run', programFile, '--replay', replayFile, '--trace'];
  for (const program of [first, ...others]) {
    if ((program.entry ?? 'default') !== 'default') {
      return { unavailable: `The command line starts a file's default export, and this run starts ${listed(request.programs.map((p) => p.entry ?? 'default'))}: replay it here.` };
    }
  }
  if ((first.host ?? FIRST_HOST) !== FIRST_HOST) return { unavailable: `The command line starts its program on ${FIRST_HOST}, and this run starts it on ${first.host}: replay it here.` };
  const argv = first.argv ?? [];
  const nonText = argv.find((arg) => typeof arg !== 'string');
  if (nonText !== undefined) return { unavailable: `The command line passes arguments as text, and this run passes ${JSON.stringify(nonText)}: replay it here.` };
  for (const arg of argv as string[]) words.push('--arg', shellWord(arg));
  if (first.stdin) words.push('--stdin', shellWord(first.stdin));

  const settings = request.settings;
  for (const [key, usual] of Object.entries(WITHOUT_OPTION)) {
    const value = (settings as Record<string, unknown>)[key];
    if (value !== undefined && value !== usual) return { unavailable: `The command line has no option for ${key} (${String(value)} in this run): replay it here.` };
  }
  if (settings.network && Object.values(settings.network).some((chance) => chance)) return { unavailable: 'The command line has no option for network faults, which this run has: replay it here.' };
  if (settings.enable !== undefined && settings.enable !== 'all') words.push('--enable', settings.enable.join(','));
  for (const [path, text] of Object.entries(settings.files ?? {})) words.push('--file', shellWord(`${path}=${text}`));
  if (settings.linkCapacity !== undefined) words.push('--link-capacity', settings.linkCapacity === Infinity ? 'inf' : String(settings.linkCapacity));
  if (settings.pipeCapacity !== undefined) words.push('--pipe-capacity', String(settings.pipeCapacity));
  if (settings.pipeBuf !== undefined) words.push('--pipe-buf', String(settings.pipeBuf));
  if (settings.maxProcs !== undefined) words.push('--max-procs', String(settings.maxProcs));
  if (settings.maxSteps !== undefined) words.push('--max-steps', String(settings.maxSteps));

  // Each further program is the first process of a host of its own, with no arguments, as --host starts it.
  const hosts = new Set([FIRST_HOST]);
  for (const program of others) {
    const host = program.host ?? FIRST_HOST;
    if (hosts.has(host) || (program.argv ?? []).length > 0 || program.stdin) {
      return { unavailable: 'The command line starts one program per host, each beyond the first with no arguments or stdin, and this run does not: replay it here.' };
    }
    hosts.add(host);
    words.push('--host', `${host}=${programFile}`);
  }
  const idle = (settings.hosts ?? []).filter((host) => !hosts.has(host));
  if (idle.length > 0) return { unavailable: `The command line creates a host only for a program, and this run has ${idle.join(', ')} with none: replay it here.` };
  return { command: words.join(' ') };
}
