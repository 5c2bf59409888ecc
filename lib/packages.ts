/**
 * Exercise packages as zip files: the folder the grader reads (grader/package.ts), packed for
 * export and unpacked for import. An upload is hostile until proven otherwise: the central
 * directory is read first and the whole zip refused, with a sentence, when an entry would leave
 * the package folder (zip slip: `../`, an absolute path, a symlink), when it holds too many files
 * or when any content is too large (checked while inflating, so a zip bomb stops at the cap).
 * A zip that passes is then checked as a package, every problem listed by file and field.
 */
import { Inflate, strToU8, zipSync } from 'fflate';
import { z } from 'zod';
import { parseExercise, InvalidExerciseError, type PackageFiles } from '../common/package';
import { HttpError } from './errors';

/** Limits of a package, in the editor as in a zip. */
export const PACKAGE_LIMITS = {
  files: 64,
  fileBytes: 256 * 1024,
  totalBytes: 2 * 1024 * 1024,
  /** The upload itself, compressed. */
  zipBytes: 2 * 1024 * 1024,
} as const;

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const slugSchema = z.string().regex(SLUG_PATTERN, 'A slug is lowercase letters, digits and dashes, starting with a letter or digit (at most 64).');

/** A file's path inside the package: relative, plain segments, never `.` or `..`. */
const SAFE_PATH = /^(?!.*(^|\/)\.\.?(\/|$))[\w.-]+(\/[\w.-]+)*$/;

export const packageFilesSchema = z
  .record(z.string().regex(SAFE_PATH, 'a file path must be relative, of letters, digits, dots, dashes and underscores, and never . or ..'), z.string())
  .refine((files) => Object.keys(files).length <= PACKAGE_LIMITS.files, `a package holds at most ${PACKAGE_LIMITS.files} files`)
  .refine((files) => Object.values(files).every((content) => Buffer.byteLength(content) <= PACKAGE_LIMITS.fileBytes), `each file is at most ${PACKAGE_LIMITS.fileBytes / 1024} KiB`)
  .refine((files) => Object.values(files).reduce((sum, content) => sum + Buffer.byteLength(content), 0) <= PACKAGE_LIMITS.totalBytes, `a package is at most ${PACKAGE_LIMITS.totalBytes / 1024 / 1024} MiB in all`);

/** Every problem of a package's files as the grader sees them, by file and field; none when it is sound. */
function packageProblems(slug: string, files: PackageFiles): string[] {
  try {
    parseExercise(slug, files);
    return [];
  } catch (error) {
    if (error instanceof InvalidExerciseError) return error.problems;
    throw error;
  }
}

/** The package as a zip, its files under a folder named after the slug (as `exercises/<slug>/`). */
export function packageZip(slug: string, files: PackageFiles): Uint8Array {
  const entries = Object.fromEntries(Object.entries(files).map(([path, content]) => [`${slug}/${path}`, strToU8(content)]));
  return zipSync(entries, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
}

/** A zip refused as a whole: the sentence says why; `problems` lists each one. */
export class PackageRefused extends HttpError {
  constructor(status: number, message: string, readonly problems: string[]) {
    super(status, message, {}, { problems });
  }
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** Unix mode (file type and permissions) when the zip was made on Unix, else null. */
  unixMode: number | null;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const UNIX = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function malformed(reason: string): PackageRefused {
  return new PackageRefused(400, `This is not a zip file Rendezvous can read: ${reason}.`, [`(zip): ${reason}`]);
}

/** The central directory: where each entry is, how big it says it is, and what kind of file it is. */
function readDirectory(zip: Buffer): Entry[] {
  // The end record sits in the last 22 bytes plus a comment of at most 65,535.
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw malformed('its end-of-directory record is missing');
  const count = zip.readUInt16LE(end + 10);
  if (count > PACKAGE_LIMITS.files * 2) {
    throw new PackageRefused(413, `The zip holds ${count} entries; a package holds at most ${PACKAGE_LIMITS.files} files.`, [`(zip): ${count} entries`]);
  }
  const entries: Entry[] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== DIRECTORY_ENTRY) throw malformed(`its directory entry ${i + 1} is damaged`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const madeOn = zip.readUInt8(at + 5);
    entries.push({
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      unixMode: madeOn === UNIX ? zip.readUInt32LE(at + 38) >>> 16 : null,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Why an entry's name may not be unpacked, or null when it stays inside the package folder. */
function escapes(entry: Entry): string | null {
  const { name } = entry;
  if (entry.unixMode !== null && (entry.unixMode & S_IFMT) === S_IFLNK) return 'is a symbolic link';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.includes('\\')) return 'uses backslashes (a Windows path)';
  if (name.split('/').some((segment) => segment === '..')) return 'climbs out of the package folder (..)';
  if (name.includes('\0')) return 'has a NUL byte in its name';
  return null;
}

/** An entry's bytes, inflated in small steps so a lying size cannot make it grow past `limit`. */
function inflateEntry(zip: Buffer, entry: Entry, limit: number): Buffer {
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_HEADER) throw malformed(`${entry.name}'s header is damaged`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw malformed(`${entry.name} is cut short`);
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw malformed(`${entry.name} uses compression method ${entry.method} (only stored and deflated entries are read)`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const inflate = new Inflate((chunk) => {
    size += chunk.length;
    if (size > limit) throw new TooLarge();
    chunks.push(chunk);
  });
  const STEP = 4096;
  for (let offset = 0; offset < data.length; offset += STEP) inflate.push(data.subarray(offset, offset + STEP), offset + STEP >= data.length);
  if (data.length === 0) inflate.push(new Uint8Array(0), true);
  return Buffer.concat(chunks);
}

class TooLarge extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The one folder every entry sits in (a zipped `exercises/<slug>/`), or null when files sit at the top. */
function commonFolder(names: string[]): string | null {
  const first = names[0]?.split('/')[0];
  if (!first || !names.every((name) => name.startsWith(`${first}/`))) return null;
  return first;
}

/** Leftovers of archivers that are no part of a package. */
function isArchiverLitter(name: string): boolean {
  return name.startsWith('__MACOSX/') || name.split('/').pop() === '.DS_Store';
}

export interface UnpackedPackage {
  /** The folder the files sat in, when they sat in one: the package's slug unless told otherwise. */
  folder: string | null;
  files: PackageFiles;
}

/**
 * Unpacks an uploaded zip, or refuses it whole. Throws PackageRefused listing every problem:
 * first of the zip (entries that escape, too many, too large, not text), then of the package.
 */
export function unpackZip(upload: Uint8Array, slugGiven: string | null): UnpackedPackage & { slug: string } {
  if (upload.length > PACKAGE_LIMITS.zipBytes) {
    throw new PackageRefused(413, `The zip is ${(upload.length / 1024 / 1024).toFixed(1)} MiB; a package zip is at most ${PACKAGE_LIMITS.zipBytes / 1024 / 1024} MiB.`, [`(zip): too large`]);
  }
  const zip = Buffer.from(upload.buffer, upload.byteOffset, upload.length);
  const directory = readDirectory(zip);
  // Every entry, folders and archivers' litter included, must stay inside the package folder.
  const escaping = directory.flatMap((entry) => {
    const why = escapes(entry);
    return why ? [`${entry.name}: ${why}`] : [];
  });
  if (escaping.length > 0) {
    throw new PackageRefused(400, 'The zip was refused because some of its entries would land outside the package folder (zip slip).', escaping);
  }
  const entries = directory.filter((entry) => !entry.name.endsWith('/') && !isArchiverLitter(entry.name));
  if (entries.length > PACKAGE_LIMITS.files) {
    throw new PackageRefused(413, `The zip holds ${entries.length} files; a package holds at most ${PACKAGE_LIMITS.files}.`, [`(zip): ${entries.length} files`]);
  }
  const declaredTotal = entries.reduce((sum, entry) => sum + entry.size, 0);
  const oversized = entries.filter((entry) => entry.size > PACKAGE_LIMITS.fileBytes).map((entry) => `${entry.name}: over ${PACKAGE_LIMITS.fileBytes / 1024} KiB`);
  if (oversized.length > 0 || declaredTotal > PACKAGE_LIMITS.totalBytes) {
    throw new PackageRefused(413, `The zip's content is too large: each file may be ${PACKAGE_LIMITS.fileBytes / 1024} KiB and all of them ${PACKAGE_LIMITS.totalBytes / 1024 / 1024} MiB.`, oversized.length ? oversized : ['(zip): too large in all']);
  }

  const folder = commonFolder(entries.map((entry) => entry.name));
  const files: PackageFiles = {};
  const problems: string[] = [];
  let total = 0;
  for (const entry of entries) {
    const path = folder ? entry.name.slice(folder.length + 1) : entry.name;
    if ((entry.flags & 1) !== 0) {
      problems.push(`${path}: encrypted (a package zip has no password)`);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = inflateEntry(zip, entry, Math.min(PACKAGE_LIMITS.fileBytes, PACKAGE_LIMITS.totalBytes - total));
    } catch (error) {
      if (error instanceof TooLarge) {
        // Its directory entry lied about its size: the content is refused as too large, whatever else is wrong.
        throw new PackageRefused(413, `The zip's content is too large: ${path} inflates past the limits (${PACKAGE_LIMITS.fileBytes / 1024} KiB a file, ${PACKAGE_LIMITS.totalBytes / 1024 / 1024} MiB in all).`, [`${path}: inflates past the limits`]);
      }
      if (error instanceof PackageRefused) throw error;
      problems.push(`${path}: cannot be inflated (${(error as Error).message})`);
      continue;
    }
    total += bytes.length;
    if (!SAFE_PATH.test(path)) {
      problems.push(`${path}: not a valid file name (letters, digits, dots, dashes and underscores)`);
      continue;
    }
    try {
      files[path] = utf8.decode(bytes);
    } catch {
      problems.push(`${path}: not UTF-8 text`);
    }
  }
  const slug = slugGiven ?? folder;
  if (slug === null) problems.push('(zip): the files sit at the top of the zip, so name the exercise: fill in its slug, or zip its folder');
  else if (!SLUG_PATTERN.test(slug)) problems.push(`(zip): the folder '${slug}' is not a valid slug (lowercase letters, digits and dashes)`);
  problems.push(...packageProblems(slug ?? 'exercise', files));
  if (problems.length > 0) {
    throw new PackageRefused(400, `This package cannot be imported: ${problems.length === 1 ? 'one problem is' : `${problems.length} problems are`} listed below.`, problems);
  }
  return { folder, files, slug: slug! };
}
