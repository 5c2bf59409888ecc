/**
 * Writing an exercise in the browser: a draft of the package's files (autosaved, shared by the
 * exercise's authors), runs of it through the grading queue (the grader's `validate`, or one file
 * tried as a student against the visible tests), and publication as a new immutable version —
 * refused until a validation of exactly the current files passed.
 */
import { createHash } from 'node:crypto';
import type { GradeResult } from '../grader/grade';
import type { PackageFiles } from '../common/package';
import { verdictLine, type ValidationCheck } from '../common/validation-lines';
import { recordAudit } from './audit';
import { authoringRole, can, exerciseRole, type Actor } from './authz';
import { db, type Prisma } from './db';
import { HttpError, notFound } from './errors';
import { publishExerciseVersion, type PublishedVersion } from './exercises';
import { packageFilesSchema, packageZip, SLUG_PATTERN, slugSchema, unpackZip } from './packages';
import { enqueueDraftRun } from './queue';

/** SHA-256 of a package's files, independent of their order: what a validation proves. */
export function hashFiles(files: PackageFiles): string {
  const sorted = Object.keys(files).sort().map((path) => [path, files[path]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

function parseSlug(slug: string): string {
  const parsed = slugSchema.safeParse(slug);
  if (!parsed.success) throw new HttpError(400, parsed.error.issues[0].message);
  return parsed.data;
}

/** The slug is the actor's to edit (or, unused yet, to create); otherwise it answers 404. */
async function requireEditor(actor: Actor, slug: string): Promise<void> {
  if (!can(await exerciseRole(actor, slug), 'exercise.edit')) throw notFound('This exercise');
}

/** Whether the actor may write new exercises (for the "new exercise" page). */
export async function mayAuthor(actor: Actor): Promise<boolean> {
  return can(await authoringRole(actor), 'exercise.create');
}

/** What a new exercise starts from: a package that reads well and that Validate shows to be unfinished (no known-wrong solution proves its tests can fail). */
export function starterPackage(title = 'A new exercise'): PackageFiles {
  const requirements = [
    { id: 'prints-hello', text: 'The program prints hello on a line of its own.', tests: ['prints hello', 'prints hello and exits'] },
    { id: 'exits-cleanly', text: 'The program then exits with status 0.', tests: ['prints hello and exits'] },
  ];
  return {
    'exercise.json': `${JSON.stringify({ title, topics: ['pipe'], difficulty: 'easy', groups: 'all', requirements, wrong: [] }, null, 2)}\n`,
    'statement.md': `# ${title}\n\nWhat the student's program must do, and what the tests check.\n`,
    'starter.ts': 'export default async function main(sys) {\n  // Your code here.\n}\n',
    'solution.ts': "export default async function main(sys) {\n  await sys.print('hello');\n}\n",
    'tests/visible.ts': "import type { Suite } from '../../../grader/harness';\n\nexport default function tests({ test, props }: Suite) {\n  test('prints hello', { weight: 1 }, async (t) => {\n    await t.run({}, [props.stdoutIs('hello\\n')]);\n  });\n}\n",
    'tests/hidden.ts': "import type { Suite } from '../../../grader/harness';\n\nexport default function tests({ test, props }: Suite) {\n  test('prints hello and exits', { weight: 2 }, async (t) => {\n    await t.run({}, [props.stdoutIs('hello\\n'), props.exitStatus(0)]);\n  });\n}\n",
  };
}

export interface DraftRunView {
  id: string;
  kind: 'validate' | 'try';
  state: 'queued' | 'running' | 'graded' | 'error';
  file: string | null;
  checks: ValidationCheck[];
  /** For a validation that is over: `valid` or `invalid`. */
  verdict: 'valid' | 'invalid' | null;
  /** Whether the run checked the draft as it stands now. */
  current: boolean;
  result: GradeResult | null;
}

function runView(run: { id: string; kind: 'validate' | 'try'; state: DraftRunView['state']; file: string | null; checks: unknown; valid: boolean | null; result: unknown; filesHash: string }, currentHash: string): DraftRunView {
  const checks = run.checks as ValidationCheck[];
  return {
    id: run.id,
    kind: run.kind,
    state: run.state,
    file: run.file,
    checks,
    verdict: run.kind === 'validate' && (run.state === 'graded' || run.state === 'error') ? verdictLine(run.valid ? checks : [...checks, { ok: false, line: 'the validation did not finish' }]) : null,
    current: run.filesHash === currentHash,
    result: (run.result as GradeResult | null) ?? null,
  };
}

export interface AuthoringWorkspace {
  slug: string;
  files: PackageFiles;
  /** Whether a draft exists (else the files are the latest version's). */
  drafted: boolean;
  versions: number;
  lastValidation: DraftRunView | null;
}

/** The files an author edits: the draft, else the latest published version; 404 when neither exists or the actor may not edit. */
export async function loadWorkspace(actor: Actor, slug: string): Promise<AuthoringWorkspace> {
  if (!SLUG_PATTERN.test(slug)) throw notFound('This exercise');
  await requireEditor(actor, slug);
  const [draft, exercise] = await Promise.all([
    db.exerciseDraft.findUnique({ where: { slug }, include: { runs: { where: { kind: 'validate' }, orderBy: { createdAt: 'desc' }, take: 1 } } }),
    db.exercise.findUnique({ where: { slug }, include: { versions: { orderBy: { number: 'desc' }, take: 1, include: { files: true } }, _count: { select: { versions: true } } } }),
  ]);
  const versions = exercise?._count.versions ?? 0;
  if (draft) {
    const files = draft.files as PackageFiles;
    return { slug, files, drafted: true, versions, lastValidation: draft.runs[0] ? runView(draft.runs[0], hashFiles(files)) : null };
  }
  const latest = exercise?.versions[0];
  if (!latest) throw notFound('This exercise');
  return { slug, files: Object.fromEntries(latest.files.map((file) => [file.path, file.content])), drafted: false, versions, lastValidation: null };
}

/** Autosave: the draft becomes `files`, saved by the actor (who starts it, if it is new). */
export async function saveDraft(actor: Actor, rawSlug: string, rawFiles: unknown): Promise<{ savedAt: Date }> {
  const slug = parseSlug(rawSlug);
  const parsed = packageFilesSchema.safeParse(rawFiles);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(issue.code === 'custom' ? 413 : 400, `The draft was not saved: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}.`);
  }
  await requireEditor(actor, slug);
  const files = parsed.data as Prisma.InputJsonValue;
  const draft = await db.exerciseDraft.upsert({
    where: { slug },
    create: { slug, files, authorId: actor.userId, editedById: actor.userId },
    update: { files, editedById: actor.userId },
  });
  return { savedAt: draft.updatedAt };
}

async function currentDraft(slug: string) {
  const draft = await db.exerciseDraft.findUnique({ where: { slug } });
  if (!draft) throw new HttpError(409, 'Nothing of this exercise is saved yet: edit it (it saves as you type), then try again.');
  return { ...draft, files: draft.files as PackageFiles };
}

/**
 * Queues a validation of the draft, or a "try as a student" of one of its files against the
 * visible tests. The run keeps a copy of the files, so what it proves is exactly what was sent.
 */
export async function startDraftRun(actor: Actor, rawSlug: string, request: { kind: 'validate' } | { kind: 'try'; file: string }): Promise<{ id: string }> {
  const slug = parseSlug(rawSlug);
  await requireEditor(actor, slug);
  const draft = await currentDraft(slug);
  const file = request.kind === 'try' ? request.file : null;
  if (file !== null && (draft.files[file] === undefined || !/\.(ts|js)$/.test(file) || file.startsWith('tests/'))) {
    throw new HttpError(400, `The draft has no program '${file}' to try: pick the starter, the reference or a known-wrong solution.`);
  }
  const run = await db.draftRun.create({
    data: { draftId: draft.id, kind: request.kind, requestedById: actor.userId, filesHash: hashFiles(draft.files), files: draft.files, file },
  });
  await enqueueDraftRun(run.id, request.kind);
  return { id: run.id };
}

/** A run of a draft the actor may edit; 404 otherwise. */
export async function findDraftRun(actor: Actor, id: string): Promise<DraftRunView> {
  const run = await db.draftRun.findUnique({ where: { id }, include: { draft: { select: { slug: true, files: true } } } });
  if (!run) throw notFound('This run');
  if (!can(await exerciseRole(actor, run.draft.slug), 'exercise.edit')) throw notFound('This run');
  return runView(run, hashFiles(run.draft.files as PackageFiles));
}

/**
 * Publishes the draft as the exercise's next version, with its audit entry in the same
 * transaction. Refused (409, the failing checks listed) unless a validation of exactly these files passed.
 */
export async function publishDraft(actor: Actor, rawSlug: string): Promise<PublishedVersion> {
  const slug = parseSlug(rawSlug);
  await requireEditor(actor, slug);
  const draft = await currentDraft(slug);
  const filesHash = hashFiles(draft.files);
  const validation = await db.draftRun.findFirst({ where: { draftId: draft.id, kind: 'validate', filesHash }, orderBy: { createdAt: 'desc' } });
  if (!validation || validation.state === 'queued' || validation.state === 'running') {
    const why = validation ? 'its validation is still running' : 'it changed since it was last validated';
    throw new HttpError(409, `Not published: ${why}; Validate must pass on exactly this content first.`, {}, { checks: [] });
  }
  if (!validation.valid) {
    const failing = (validation.checks as unknown as ValidationCheck[]).filter((check) => !check.ok);
    throw new HttpError(409, 'Not published: validation failed on this content; fix the failing checks and Validate again.', {}, { checks: failing.map((check) => `FAIL ${check.line}`) });
  }
  const latest = await db.exerciseVersion.findFirst({ where: { exercise: { slug } }, orderBy: { number: 'desc' }, include: { files: true } });
  if (latest && hashFiles(Object.fromEntries(latest.files.map((file) => [file.path, file.content]))) === filesHash) {
    throw new HttpError(409, `Not published: Version ${latest.number} already has exactly this content.`, {}, { checks: [] });
  }
  return publishExerciseVersion({ slug, files: draft.files }, db, (tx, version) =>
    recordAudit({ actorId: actor.userId, action: 'exercise.publish', subject: slug, details: { version: version.number, filesHash, validation: validation.id } }, tx),
  );
}

/** The package as a zip: the draft if there is one, else the latest version. */
export async function exportPackage(actor: Actor, slug: string): Promise<{ fileName: string; zip: Uint8Array }> {
  const workspace = await loadWorkspace(actor, slug);
  return { fileName: `${workspace.slug}.zip`, zip: packageZip(workspace.slug, workspace.files) };
}

/**
 * Imports a zip as the draft of `slug` (or of the folder it holds): all of it or nothing, after
 * every check of lib/packages.ts. Nothing is published; Validate and Publish come next.
 */
export async function importPackage(actor: Actor, upload: Uint8Array, slugGiven: string | null): Promise<{ slug: string; files: PackageFiles }> {
  const target = slugGiven === null ? null : parseSlug(slugGiven);
  // Whoever may not author learns nothing of the upload, as for anything else they may not see.
  if (target !== null) await requireEditor(actor, target);
  else if (!(await mayAuthor(actor))) throw notFound('This page');
  const { slug, files } = unpackZip(upload, target);
  await saveDraft(actor, slug, files);
  return { slug, files };
}
