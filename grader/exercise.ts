/**
 * The exercise package on disk: `exercises/<slug>/` or any folder, read into the file map that
 * grader/package.ts checks (the web app imports and exports the same files as a zip).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseExercise, InvalidExerciseError, type Exercise, type PackageFiles } from '../common/package';

export * from '../common/package';

/** Reads `exercises/<slug>` or any exercise folder into a file map. */
export function readPackageFolder(folder: string): PackageFiles {
  const files: PackageFiles = {};
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      const relative = prefix ? `${prefix}/${name}` : name;
      if (statSync(full).isDirectory()) walk(full, relative);
      else files[relative] = readFileSync(full, 'utf8');
    }
  };
  walk(folder, '');
  return files;
}

/** Where a built-in exercise lives; null when `slug` names none. */
export function builtInExerciseFolder(slug: string): string | null {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) return null;
  const folder = path.join(__dirname, '..', 'exercises', slug);
  return existsSync(path.join(folder, 'exercise.json')) ? folder : null;
}

/** Loads a built-in slug or a folder path. */
export function loadExercise(slugOrPath: string): Exercise {
  const folder = builtInExerciseFolder(slugOrPath) ?? slugOrPath;
  if (!existsSync(path.join(folder, 'exercise.json')) && !existsSync(folder)) {
    throw new InvalidExerciseError(slugOrPath, ['no built-in exercise has this name and no folder has this path']);
  }
  return parseExercise(path.basename(path.resolve(folder)), readPackageFolder(folder));
}
