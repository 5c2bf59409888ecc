/**
 * The exercise package as data: the zod schema of `exercise.json` and the check that assembles a
 * package's files into an Exercise, listing every problem by file and field. Pure (no Node APIs,
 * no sandbox), so the web app's authoring pages check packages with the grader's own rules.
 */
import { z } from 'zod';
import { FIRST_HOST, GROUPS } from '../kernel/types';
import type { RunRequest } from '../grader/harness';

const groupName = z.enum(GROUPS);

/** A process to start: an export of the program, on a host, with its argv (any JSON) and stdin (exercise.json's `launch`, a --programs file). */
export const programLaunchSchema = z.strictObject({
  entry: z.string().min(1),
  host: z.ipv4({ error: 'must be an IPv4 address' }).optional(),
  argv: z.array(z.json()).optional(),
  stdin: z.string().optional(),
});
const probability = z.number().min(0).max(1);
const positiveInt = z.number().int().positive();
const capacity = z.union([z.number().int().min(0), z.literal('inf')], { error: "must be a whole number (0 for a rendezvous) or 'inf'" });

export const exerciseMetadataSchema = z.strictObject({
  title: z.string().min(1),
  summary: z.string().optional(),
  topics: z.array(z.string().min(1)).min(1),
  difficulty: z.enum(['intro', 'easy', 'medium', 'hard']),
  /** Exports the submission must provide; the tests start them as processes. */
  entries: z.array(z.string().regex(/^[A-Za-z_$][\w$]*$/, 'must be an export name')).min(1).default(['default']),
  /** System-call groups enabled for the submission. */
  groups: z.union([z.literal('all'), z.array(groupName).min(1)], { error: `must be 'all' or a list of groups from: ${GROUPS.join(', ')}` }).default('all'),
  kernel: z.strictObject({
    pipeCapacity: positiveInt.optional(),
    pipeBuf: positiveInt.optional(),
    linkCapacity: capacity.optional(),
    mailboxCapacity: capacity.optional(),
    msgqueueCapacity: positiveInt.optional(),
    maxProcs: positiveInt.optional(),
    maxSteps: positiveInt.optional(),
    outputLimit: positiveInt.optional(),
  }).default({}),
  /** Extra hosts beside 10.0.0.1. */
  hosts: z.array(z.ipv4()).default([]),
  network: z.strictObject({ loss: probability.optional(), duplicate: probability.optional(), reorder: probability.optional() }).default({}),
  limits: z.strictObject({
    cpuMs: positiveInt.max(60_000).optional(),
    memoryMb: z.number().int().min(16).max(1024).optional(),
  }).default({}),
  /** Files of /home, by relative path. */
  files: z.record(z.string().min(1), z.string()).default({}),
  /**
   * The processes the Run panel starts to try the student's code, as a test starts them: needed
   * where one export alone does nothing useful (a consumer without its producer, a client without
   * its server). By default the first entry alone, with no arguments.
   */
  launch: z.array(programLaunchSchema).min(1).optional(),
  /**
   * The statement's requirements, sentence by sentence: each with the tests
   * that check it. `validate` proves every test checks one and every
   * requirement has a test.
   */
  requirements: z.array(z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a short id in lower case with dashes'),
    text: z.string().min(1),
    tests: z.array(z.string().min(1)).min(1),
  })).min(1, 'list the statement\'s requirements, each with the tests that check it'),
  /** Known-wrong solutions under wrong/, each with the requirement it violates, the tests it must fail and the feedback it must get. */
  wrong: z.array(z.strictObject({
    file: z.string().regex(/^wrong\/[\w.-]+\.(ts|js)$/, "must be a file under wrong/ ending in .ts or .js"),
    mistake: z.string().min(1),
    violates: z.string().min(1),
    fails: z.array(z.string().min(1)).min(1),
    /** A regular expression (case-insensitive) the message of the first test in `fails` must match: the feedback names the real bug. */
    feedback: z.string().min(1).refine(isRegExp, 'must be a valid regular expression'),
  })).default([]),
}).superRefine((metadata, context) => {
  const ids = new Set<string>();
  metadata.requirements.forEach((requirement, index) => {
    if (ids.has(requirement.id)) context.addIssue({ code: 'custom', path: ['requirements', index, 'id'], message: `two requirements are named '${requirement.id}'` });
    ids.add(requirement.id);
  });
  metadata.wrong.forEach((wrong, index) => {
    if (!ids.has(wrong.violates)) context.addIssue({ code: 'custom', path: ['wrong', index, 'violates'], message: `names no requirement of this exercise: '${wrong.violates}'` });
  });
  metadata.launch?.forEach((program, index) => {
    if (!metadata.entries.includes(program.entry)) {
      context.addIssue({ code: 'custom', path: ['launch', index, 'entry'], message: `'${program.entry}' is not one of the entries (${metadata.entries.join(', ')})` });
    }
    if (program.host !== undefined && program.host !== FIRST_HOST && !metadata.hosts.includes(program.host)) {
      context.addIssue({ code: 'custom', path: ['launch', index, 'host'], message: `${program.host} is not a host of this exercise (${[FIRST_HOST, ...metadata.hosts].join(', ')})` });
    }
  });
});

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern, 'i');
    return true;
  } catch {
    return false;
  }
}

export type ExerciseMetadata = z.infer<typeof exerciseMetadataSchema>;

/** The files of a package, by path relative to its folder. */
export type PackageFiles = Record<string, string>;

export interface Exercise {
  slug: string;
  metadata: ExerciseMetadata;
  statement: string;
  starter: SourceFile;
  solution: SourceFile;
  visibleTests: SourceFile;
  hiddenTests: SourceFile;
  wrong: KnownWrong[];
}

export type Requirement = ExerciseMetadata['requirements'][number];
export type KnownWrong = SourceFile & Omit<ExerciseMetadata['wrong'][number], 'file'>;

export interface SourceFile {
  fileName: string;
  source: string;
}

export class InvalidExerciseError extends Error {
  constructor(readonly slug: string, readonly problems: string[]) {
    super(`Exercise '${slug}' is invalid:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
}

/** One source file in the package: TypeScript or JavaScript, whichever exists. */
function sourceFile(files: PackageFiles, base: string, problems: string[], what: string): SourceFile {
  for (const fileName of [`${base}.ts`, `${base}.js`]) {
    if (files[fileName] !== undefined) return { fileName, source: files[fileName] };
  }
  problems.push(`${base}.ts: missing (${what})`);
  return { fileName: `${base}.ts`, source: '' };
}

/** Checks and assembles a package; throws InvalidExerciseError listing every problem. */
export function parseExercise(slug: string, files: PackageFiles): Exercise {
  const problems: string[] = [];
  let metadata: ExerciseMetadata | null = null;
  const raw = files['exercise.json'];
  if (raw === undefined) problems.push('exercise.json: missing (the metadata)');
  else {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      problems.push(`exercise.json: not valid JSON (${(error as Error).message})`);
    }
    if (json !== undefined) {
      const parsed = exerciseMetadataSchema.safeParse(json);
      if (parsed.success) metadata = parsed.data;
      else for (const issue of parsed.error.issues) problems.push(`exercise.json: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    }
  }
  const statement = files['statement.md'];
  if (statement === undefined) problems.push('statement.md: missing (the statement in Markdown)');
  const starter = sourceFile(files, 'starter', problems, 'the starter code');
  const solution = sourceFile(files, 'solution', problems, 'the reference solution');
  const visibleTests = sourceFile(files, 'tests/visible', problems, 'the tests students may run');
  const hiddenTests = sourceFile(files, 'tests/hidden', problems, 'the hidden tests');
  const wrong = (metadata?.wrong ?? []).map((entry, index) => {
    const source = files[entry.file];
    if (source === undefined) problems.push(`exercise.json: wrong.${index}.file: ${entry.file} does not exist`);
    const { file, ...declared } = entry;
    return { fileName: file, source: source ?? '', ...declared };
  });
  if (problems.length > 0 || !metadata) throw new InvalidExerciseError(slug, problems);
  return { slug, metadata, statement: statement!, starter, solution, visibleTests, hiddenTests, wrong };
}

/** The settings every run of this exercise starts from. */
export function exerciseDefaults(metadata: ExerciseMetadata): RunRequest {
  const capacity = (value: number | 'inf' | undefined): number | undefined => (value === 'inf' ? Infinity : value);
  const { pipeCapacity, pipeBuf, msgqueueCapacity, maxProcs, maxSteps, outputLimit } = metadata.kernel;
  return {
    programs: [{ entry: metadata.entries[0] }],
    settings: {
      enable: metadata.groups,
      files: metadata.files,
      hosts: metadata.hosts,
      network: metadata.network,
      linkCapacity: capacity(metadata.kernel.linkCapacity),
      mailboxCapacity: capacity(metadata.kernel.mailboxCapacity),
      ...definedOnly({ pipeCapacity, pipeBuf, msgqueueCapacity, maxProcs, maxSteps, outputLimit }),
    },
  };
}

/** What the Run panel starts by default: the exercise's `launch`, else its first entry alone, with the settings of every run. */
export function exerciseLaunch(metadata: ExerciseMetadata): RunRequest {
  const defaults = exerciseDefaults(metadata);
  return metadata.launch ? { ...defaults, programs: metadata.launch.map((program) => ({ ...program })) } : defaults;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
