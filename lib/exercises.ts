/**
 * Exercises as the platform stores them: each publication of a package is a new, frozen
 * ExerciseVersion whose files are rows, and the worker reads a version back as the package the
 * grader takes.
 */
import { z } from 'zod';
import type { ExercisePackage } from '../grader/sandbox-client';
import { db, type Prisma, type PrismaClient } from './db';

/** What the platform itself needs from `exercise.json`; the grader checks the rest. */
const storedMetadataSchema = z.looseObject({ title: z.string().min(1) });

const exercisePackageSchema = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes'),
  files: z.record(z.string().min(1), z.string()),
});

export interface PublishedVersion {
  exerciseId: string;
  versionId: string;
  number: number;
  title: string;
}

function titleOf(files: Record<string, string>): string {
  const raw = files['exercise.json'];
  if (raw === undefined) throw new Error('exercise.json is missing: a package names its title there.');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new Error(`exercise.json is not valid JSON (${(error as Error).message}).`);
  }
  const parsed = storedMetadataSchema.safeParse(json);
  if (!parsed.success) throw new Error('exercise.json has no title.');
  return parsed.data.title;
}

/**
 * Publishes `files` as the next version of `slug` (creating the exercise on first publication):
 * the version, its number and every file row are written together or not at all, with whatever
 * `alongside` writes (an audit entry) in the same transaction.
 */
export async function publishExerciseVersion(
  pkg: ExercisePackage,
  client: PrismaClient = db,
  alongside: (tx: Prisma.TransactionClient, version: PublishedVersion) => Promise<void> = async () => undefined,
): Promise<PublishedVersion> {
  const { slug, files } = exercisePackageSchema.parse(pkg);
  const title = titleOf(files);
  return client.$transaction(async (tx) => {
    // The upsert's update locks the exercise row, so concurrent publications number one after the other.
    const exercise = await tx.exercise.upsert({ where: { slug }, create: { slug, title }, update: { title } });
    const latest = await tx.exerciseVersion.aggregate({ where: { exerciseId: exercise.id }, _max: { number: true } });
    const number = (latest._max.number ?? 0) + 1;
    const version = await tx.exerciseVersion.create({
      data: {
        exerciseId: exercise.id,
        number,
        title,
        files: { create: Object.entries(files).map(([path, content]) => ({ path, content })) },
      },
    });
    const published = { exerciseId: exercise.id, versionId: version.id, number, title };
    await alongside(tx, published);
    return published;
  }, { timeout: 30_000 }); // a version of many files, written while graders fill every core, outlasts the 5 s default
}

/** A published version as the grader takes it: the exercise's slug and the files by path. */
export async function loadVersionPackage(versionId: string, client: PrismaClient = db): Promise<ExercisePackage> {
  const version = await client.exerciseVersion.findUnique({
    where: { id: versionId },
    select: { exercise: { select: { slug: true } }, files: { select: { path: true, content: true } } },
  });
  if (!version) throw new Error(`Exercise version ${versionId} does not exist.`);
  return { slug: version.exercise.slug, files: Object.fromEntries(version.files.map((file) => [file.path, file.content])) };
}
