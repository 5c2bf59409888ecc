/**
 * Exercise packages as the platform stores them (lib/exercises.ts), against a real database:
 * each publication is a new numbered version, read back as exactly the files it was given.
 */
import path from 'node:path';
import { readPackageFolder } from '../../grader/exercise';
import { loadVersionPackage, publishExerciseVersion } from '../../lib/exercises';
import { createTestDatabase, type TestDatabase } from '../support/services';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

const files = readPackageFolder(path.join(__dirname, '..', '..', 'exercises', 'pipe-message'));

it('numbers each publication of a package 1, 2, … and loads a version back as the files it was published with', async () => {
  const first = await publishExerciseVersion({ slug: 'pipe-message', files }, database.db);
  const changed = { ...files, 'statement.md': `${files['statement.md']}\nOne more hint.\n` };
  const second = await publishExerciseVersion({ slug: 'pipe-message', files: changed }, database.db);

  expect([first.number, second.number]).toEqual([1, 2]);
  expect(second.exerciseId).toBe(first.exerciseId);
  expect(first.title).toBe(JSON.parse(files['exercise.json']).title);
  expect(await loadVersionPackage(first.versionId, database.db)).toEqual({ slug: 'pipe-message', files });
  expect(await loadVersionPackage(second.versionId, database.db)).toEqual({ slug: 'pipe-message', files: changed });
});

it('refuses a package whose exercise.json names no title, and stores nothing of it', async () => {
  const untitled = { ...files, 'exercise.json': JSON.stringify({ ...JSON.parse(files['exercise.json']), title: undefined }) };
  await expect(publishExerciseVersion({ slug: 'untitled', files: untitled }, database.db)).rejects.toThrow('exercise.json has no title.');
  expect(await database.db.exercise.count({ where: { slug: 'untitled' } })).toBe(0);
});
