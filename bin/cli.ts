/**
 * The `rendezvous` command line. Each command parses its arguments into a job for the same sandbox
 * the worker uses; a usage error is one line on stderr and exit code 2.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { builtInExerciseFolder, InvalidExerciseError, parseExercise, readPackageFolder } from '../grader/exercise';
import { allChecks, checkLine, verdictLine, type ValidationCheck } from '../common/validation-lines';
import type { GradeResult } from '../grader/grade';
import { pctStepsFor, type KernelSettings, type ProgramSource, type SandboxJob, type SandboxLimits } from '../common/job';
import { programLaunchSchema } from '../common/package';
import { SandboxClient, type ExercisePackage } from '../grader/sandbox-client';
import { GROUPS, type Group, type NetworkFaults, type RunResult, type Strategy, type TraceEntry } from '../kernel/types';

export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: CliOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

interface Command {
  usage: string;
  execute(args: string[], output: CliOutput): Promise<number>;
}

/** Everything `rendezvous` can do. */
const COMMANDS: Record<string, Command> = {
  run: { usage: 'rendezvous run <program> [options]', execute: runCommand },
  grade: { usage: 'rendezvous grade <exercise> <submission>... [--json] [--visible-only] [--seed N]', execute: gradeCommand },
  validate: { usage: 'rendezvous validate <exercise> [--seed N] [--seeds N]', execute: validateCommand },
  doctor: { usage: 'rendezvous doctor', execute: doctorCommand },
};

/** A mistake in how the command was called: reported in one line, exit code 2. */
class UsageError extends Error {}

/** Runs one command line; resolves to the process's exit code. */
export async function main(argv: string[], output: CliOutput = processOutput): Promise<number> {
  const [name, ...args] = argv;
  try {
    const command = name === undefined ? undefined : Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) {
      const usage = Object.values(COMMANDS).map((c) => c.usage).join(' | ');
      throw new UsageError(`${name === undefined ? 'missing command' : `unknown command '${name}'`} (usage: ${usage})`);
    }
    return await command.execute(args, output);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr(`rendezvous: ${error.message}\n`);
    return 2;
  }
}

// ---- rendezvous grade and validate -------------------------------------------------------

const GRADE_OPTIONS = {
  json: { type: 'boolean' },
  'visible-only': { type: 'boolean' },
  seed: { type: 'string' },
  seeds: { type: 'string' },
} as const;

/** A built-in slug, or a folder holding exercise.json. */
function readExercise(name: string): ExercisePackage {
  const folder = builtInExerciseFolder(name) ?? (existsSync(path.join(name, 'exercise.json')) ? name : null);
  if (!folder) {
    const why = existsSync(name) && statSync(name).isDirectory() ? 'the folder has no exercise.json' : 'no built-in exercise has this name and no folder has this path';
    throw new UsageError(`unknown exercise '${name}': ${why}`);
  }
  return { slug: path.basename(path.resolve(folder)), files: readPackageFolder(folder) };
}

/** Parses grade's or validate's line: at least `count` positionals, and no more unless `more` allows them. */
function parseGradeLine(args: string[], usage: string, count: number, more = false) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: GRADE_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  if (parsed.positionals.length < count) throw new UsageError(`missing arguments (usage: ${usage})`);
  if (!more && parsed.positionals.length > count) throw new UsageError(`unexpected argument '${parsed.positionals[count]}'`);
  return { ...parsed, seed: wholeNumber(parsed.values.seed, '--seed'), seeds: wholeNumber(parsed.values.seeds, '--seeds') };
}

function wholeNumber(text: string | undefined, flag: string): number | undefined {
  if (text !== undefined && !/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number, not '${text}'`);
  return text === undefined ? undefined : Number(text);
}

/** Grades each submission in turn through one sandbox, as a worker grades a stream of students' submissions. */
async function gradeCommand(args: string[], output: CliOutput): Promise<number> {
  const { values, positionals, seed, seeds } = parseGradeLine(args, COMMANDS.grade.usage, 2, true);
  if (seeds !== undefined) throw new UsageError('--seeds is an option of validate; grade takes one --seed');
  const exercise = readExercise(positionals[0]);
  try {
    parseExercise(exercise.slug, exercise.files);
  } catch (error) {
    if (!(error instanceof InvalidExerciseError)) throw error;
    throw new UsageError(`exercise '${positionals[0]}' is invalid (rendezvous validate lists why): ${error.problems.join('; ')}`);
  }
  const submissions = positionals.slice(1).map((file) => ({ fileName: file, source: readText(file, 'submission') }));
  const client = new SandboxClient();
  const results: GradeResult[] = [];
  try {
    for (const submission of submissions) {
      results.push(await client.grade({ exercise, submission, options: { visibleOnly: values['visible-only'] ?? false, seed } }));
    }
  } finally {
    client.close();
  }
  if (values.json) {
    const document = results.length === 1 ? results[0] : results.map((result, index) => ({ submission: submissions[index].fileName, ...result }));
    output.stdout(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    const headed = results.length > 1;
    output.stdout(results.map((result, index) => (headed ? `== ${submissions[index].fileName}\n` : '') + describeGrade(result)).join(headed ? '\n' : ''));
  }
  return 0;
}

function describeGrade(result: GradeResult): string {
  const lines = result.tests.map((test) => {
    const mark = test.passed ? 'pass' : 'FAIL';
    const detail = test.message ? `\n       ${test.message}` : '';
    return `${mark}  ${test.name} (${test.score}/${test.weight}${test.visible ? '' : ', hidden'})${detail}`;
  });
  if (result.status !== 'graded') lines.push(`${result.status}: ${result.message ?? ''}`);
  lines.push(`score ${result.score}/${result.maxScore} in ${result.durationMs} ms (${result.runs} runs explored)`);
  return lines.join('\n') + '\n';
}

async function validateCommand(args: string[], output: CliOutput): Promise<number> {
  const { positionals, seed, seeds } = parseGradeLine(args, COMMANDS.validate.usage, 1);
  if (seeds === 0) throw new UsageError('--seeds must be at least 1');
  const exercise = readExercise(positionals[0]);
  const client = new SandboxClient();
  try {
    // Each check is printed as the sandbox makes it; what only the answer holds follows.
    const heard: ValidationCheck[] = [];
    const print = (check: ValidationCheck) => output.stdout(`${checkLine(check)}\n`);
    const answer = await client.validate(exercise, { seed, seeds }, (check) => {
      heard.push(check);
      print(check);
    });
    const checks = allChecks(heard, answer);
    checks.slice(heard.length).forEach(print);
    return verdictLine(checks) === 'valid' ? 0 : 1;
  } finally {
    client.close();
  }
}

// ---- rendezvous doctor ---------------------------------------------------------------------

/** Says which walls stand around the sandbox on this machine, and proves a child starts behind them. */
async function doctorCommand(args: string[], output: CliOutput): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected argument '${args[0]}' (usage: ${COMMANDS.doctor.usage})`);
  const client = new SandboxClient();
  try {
    for (const line of client.describeWalls()) output.stdout(`${line}\n`);
    const report = await client.inspect();
    if (!report) {
      output.stdout('sandbox child: FAILED to start (see the messages above)\n');
      return 1;
    }
    const { residentMb, environment, uid, dataCapMb, networkInterfaces, threadNiceness, sessionNiceness } = report;
    output.stdout(`sandbox child: started behind these walls, ${residentMb} MiB resident; from the inside: uid ${uid}, ` +
      `environment [${environment.join(', ')}], data cap ${dataCapMb === null ? 'none' : `${dataCapMb} MiB`}, network interfaces [${networkInterfaces.join(', ')}], ` +
      `threads at nice ${threadNiceness.join('/')}, session's scheduling group ${sessionNiceness === null ? 'none (no autogroups)' : `at nice ${sessionNiceness}`}\n`);
    return 0;
  } finally {
    client.close();
  }
}

// ---- rendezvous run ------------------------------------------------------------------------

const FIRST_HOST = '10.0.0.1';
const STRATEGIES: readonly Strategy[] = ['rr', 'random', 'pct', 'replay'];

const RUN_OPTIONS = {
  schedule: { type: 'string' },
  seed: { type: 'string' },
  stdin: { type: 'string' },
  arg: { type: 'string', multiple: true },
  enable: { type: 'string' },
  file: { type: 'string', multiple: true },
  'link-capacity': { type: 'string' },
  'mailbox-capacity': { type: 'string' },
  'msgqueue-capacity': { type: 'string' },
  'output-limit': { type: 'string' },
  network: { type: 'string' },
  hosts: { type: 'string' },
  'pipe-capacity': { type: 'string' },
  'pipe-buf': { type: 'string' },
  host: { type: 'string', multiple: true },
  'max-procs': { type: 'string' },
  'max-steps': { type: 'string' },
  'cpu-ms': { type: 'string' },
  'memory-mb': { type: 'string' },
  trace: { type: 'boolean' },
  json: { type: 'boolean' },
  replay: { type: 'string' },
  programs: { type: 'string' },
  'pct-depth': { type: 'string' },
} as const;

type RunFlags = ReturnType<typeof parseArgs<{ options: typeof RUN_OPTIONS; allowPositionals: true }>>['values'];

async function runCommand(args: string[], output: CliOutput): Promise<number> {
  const { values: flags, positionals } = parseCommandLine(args);
  if (positionals.length === 0) throw new UsageError(`missing <program> (usage: ${COMMANDS.run.usage})`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  const job = runJob(positionals[0], flags);

  const client = new SandboxClient();
  let result: RunResult;
  try {
    // PCT spreads its change points over the round-robin run's length, as the grader does: its seeds reproduce here.
    if (job.settings.schedule === 'pct') {
      const roundRobin = await client.run({ ...job, settings: { ...job.settings, schedule: 'rr', trace: false } });
      job.settings.pctSteps = pctStepsFor(roundRobin);
    }
    result = await client.run(job);
  } finally {
    client.close();
  }

  if (flags.json) {
    output.stdout(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    output.stdout(result.stdout);
    output.stderr(result.stderr);
    output.stderr(result.debugLog);
    if (result.trace) output.stderr(result.trace.map(describeTraceEntry).join(''));
    if (result.status !== 'ok') output.stderr(`rendezvous: ${result.status}: ${result.message ?? ''}\n`);
  }
  return 0;
}

function parseCommandLine(args: string[]) {
  try {
    return parseArgs({ args, options: RUN_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
}

function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${option}'`;
  if (/argument missing/.test(message)) return `option '${option}' needs a value`;
  if (/ambiguous/.test(message)) return `write ${option}=VALUE for a value that starts with '-'`;
  if (/does not take an argument/.test(message)) return `option '${option}' takes no value`;
  return message.split('\n')[0];
}

function runJob(programPath: string, flags: RunFlags): SandboxJob {
  const replay = flags.replay === undefined ? undefined : readReplay(flags.replay);
  const schedule = parseSchedule(flags.schedule, replay !== undefined);
  const programs: ProgramSource[] = flags.programs === undefined
    ? [{ source: readText(programPath, 'program'), fileName: programPath, argv: flags.arg ?? [], stdin: flags.stdin }, ...parseHosts(flags.host ?? [])]
    : launchesOf(programPath, flags);
  const settings: KernelSettings = {
    schedule,
    seed: optionalInteger(flags, 'seed', 0) ?? replay?.seed,
    pctDepth: optionalInteger(flags, 'pct-depth', 1),
    decisions: replay?.decisions,
    enable: flags.enable === undefined ? undefined : parseGroups(flags.enable),
    files: parseFiles(flags.file ?? []),
    linkCapacity: flags['link-capacity'] === 'inf' ? Infinity : optionalInteger(flags, 'link-capacity', 0),
    mailboxCapacity: flags['mailbox-capacity'] === 'inf' ? Infinity : optionalInteger(flags, 'mailbox-capacity', 0),
    msgqueueCapacity: optionalInteger(flags, 'msgqueue-capacity', 1),
    outputLimit: optionalInteger(flags, 'output-limit', 1),
    network: flags.network === undefined ? undefined : parseNetwork(flags.network),
    hosts: flags.hosts === undefined ? undefined : parseHostList(flags.hosts),
    pipeCapacity: optionalInteger(flags, 'pipe-capacity', 1),
    pipeBuf: optionalInteger(flags, 'pipe-buf', 1),
    maxProcs: optionalInteger(flags, 'max-procs', 1),
    maxSteps: optionalInteger(flags, 'max-steps', 1),
    trace: flags.trace ?? false,
  };
  const limits: Partial<SandboxLimits> = {
    cpuMs: optionalInteger(flags, 'cpu-ms', 1),
    // isolated-vm refuses a smaller heap, and the kernel needs some of it.
    memoryMb: optionalInteger(flags, 'memory-mb', 8),
  };
  return { programs, settings, limits };
}

function parseSchedule(text: string | undefined, replaying: boolean): Strategy {
  if (text === undefined) return replaying ? 'replay' : 'rr';
  if (!(STRATEGIES as readonly string[]).includes(text)) {
    throw new UsageError(`--schedule must be one of ${STRATEGIES.join(', ')}, not '${text}'`);
  }
  if (text === 'replay' && !replaying) throw new UsageError('--schedule replay needs --replay FILE');
  if (text !== 'replay' && replaying) throw new UsageError(`--replay FILE replays a run; it does not go with --schedule ${text}`);
  return text as Strategy;
}

type NumericFlag = 'seed' | 'pct-depth' | 'link-capacity' | 'mailbox-capacity' | 'msgqueue-capacity' | 'output-limit' | 'pipe-capacity' | 'pipe-buf'
  | 'max-procs' | 'max-steps' | 'cpu-ms' | 'memory-mb';

function optionalInteger(flags: RunFlags, name: NumericFlag, min: number): number | undefined {
  const text = flags[name];
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    const allowed = name === 'link-capacity' || name === 'mailbox-capacity' ? `a whole number or 'inf'` : `a whole number of at least ${min}`;
    throw new UsageError(`--${name} must be ${allowed}, not '${text}'`);
  }
  return value;
}

function parseGroups(text: string): 'all' | Group[] {
  if (text === 'all') return 'all';
  return text.split(',').map((name) => {
    if (!(GROUPS as readonly string[]).includes(name)) {
      throw new UsageError(`unknown group '${name}' in --enable (groups: all, ${GROUPS.join(', ')})`);
    }
    return name as Group;
  });
}

/** `loss=P,duplicate=P,reorder=P` (any of them), each a probability. */
function parseNetwork(text: string): NetworkFaults {
  const faults: NetworkFaults = {};
  for (const part of text.split(',')) {
    const [name, value] = part.split('=');
    const chance = Number(value);
    if (!['loss', 'duplicate', 'reorder'].includes(name) || value === undefined || value.trim() === '' || !(chance >= 0 && chance <= 1)) {
      throw new UsageError(`--network takes loss=P,duplicate=P,reorder=P with each P from 0 to 1, not '${part}'`);
    }
    faults[name as keyof NetworkFaults] = chance;
  }
  return faults;
}

/** `ADDR,ADDR,...`: hosts that exist beside 10.0.0.1 whether or not a program starts there. */
function parseHostList(text: string): string[] {
  return text.split(',').map((host) => {
    if (!isIpv4(host)) throw new UsageError(`--hosts takes IPv4 addresses separated by commas, not '${host}'`);
    return host;
  });
}

/** `PATH=TEXT` pairs, split at the first `=`. */
function splitAssignment(flag: string, text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--${flag} takes ${flag === 'file' ? 'PATH=TEXT' : 'ADDR=FILE'}, not '${text}'`);
  return [text.slice(0, at), text.slice(at + 1)];
}

function parseFiles(assignments: string[]): Record<string, string> {
  return Object.fromEntries(assignments.map((text) => splitAssignment('file', text)));
}

function parseHosts(assignments: string[]): ProgramSource[] {
  const seen = new Set([FIRST_HOST]);
  return assignments.map((text) => {
    const [host, file] = splitAssignment('host', text);
    if (!isIpv4(host)) throw new UsageError(`--host needs an IPv4 address, not '${host}'`);
    if (seen.has(host)) {
      throw new UsageError(host === FIRST_HOST ? `${FIRST_HOST} is the program's own host` : `host ${host} is given twice`);
    }
    seen.add(host);
    return { source: readText(file, 'program'), fileName: file, host, argv: [] };
  });
}

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(`cannot read ${what} '${path}': ${reason}`);
  }
}

/** A --programs file: the processes to start, each an export of the program, on a host, with its argv (any JSON) and stdin. */
const ProgramsFile = z.array(programLaunchSchema.partial({ entry: true })).min(1);

/** The processes a --programs file starts, all from `programPath`'s code. */
function launchesOf(programPath: string, flags: RunFlags): ProgramSource[] {
  if (flags.arg !== undefined || flags.stdin !== undefined || flags.host !== undefined) {
    throw new UsageError('--programs gives every program its arguments, stdin and host: it does not go with --arg, --stdin or --host');
  }
  const file = flags.programs!;
  const parsed = ProgramsFile.safeParse(readJson(file, '--programs file'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--programs file '${file}' must be a list of programs like [{"entry": "server"}, {"entry": "client", "host": "10.0.0.2", "argv": ["10.0.0.1"]}]: ${issue.path.join('.') || 'the list'}: ${issue.message}`);
  }
  const source = readText(programPath, 'program');
  return parsed.data.map((program) => ({ source, fileName: programPath, ...program, argv: program.argv ?? [] }));
}

/** A replay file: a RunResult (whose seed is reused unless --seed is given) or a bare array of decisions. */
const ReplayFile = z.union([
  z.array(z.string()).transform((decisions) => ({ decisions, seed: undefined })),
  z.object({ decisions: z.array(z.string()), seed: z.number().int().nonnegative().optional() }),
]);

/** The JSON in the file `what` names, or a usage error saying it is not JSON. */
function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${what} '${path}' is not JSON`);
  }
}

function readReplay(path: string): z.infer<typeof ReplayFile> {
  const parsed = ReplayFile.safeParse(readJson(path, '--replay file'));
  if (!parsed.success) {
    throw new UsageError(`--replay file '${path}' is neither a RunResult nor a JSON array of decisions`);
  }
  return parsed.data;
}

/** One trace entry as a line of text, for reading in a terminal. */
function describeTraceEntry(entry: TraceEntry): string {
  const args = (entry.args ?? []).map((arg) => JSON.stringify(arg)).join(', ');
  const outcome =
    entry.error !== undefined ? ` !${entry.error}`
    : entry.blocked !== undefined ? ` blocked: ${entry.blocked}`
    : entry.result !== undefined ? ` -> ${JSON.stringify(entry.result)}`
    : '';
  return `#${entry.step} ${entry.thread} ${entry.call}(${args})${outcome}\n`;
}
