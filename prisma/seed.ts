/**
 * The demo data of web.md: the built-in exercise pack published, the demo course with every
 * exercise assigned (open now, due in 14 days), and the demo accounts. Runs once: a database that
 * already has the demo admin is left as it is.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readPackageFolder } from '../grader/exercise';
import { auth } from '../lib/auth';
import { db } from '../lib/db';
import { publishExerciseVersion } from '../lib/exercises';

export const DEMO_COURSE = { title: 'Operating Systems: IPC', joinCode: 'DEMO-IPC' };

export const DEMO_ACCOUNTS = [
  { who: 'admin', name: 'Ada Admin', email: 'admin@rendezvous.test', password: 'demo-admin' },
  { who: 'instructor', name: 'Ivan Instructor', email: 'instructor@rendezvous.test', password: 'demo-instructor' },
  { who: 'student', name: 'Sam Student', email: 'student1@rendezvous.test', password: 'demo-student' },
  { who: 'student', name: 'Sasha Student', email: 'student2@rendezvous.test', password: 'demo-student' },
] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The exercises/ folder beside this file's project (the bundle in dist/ sits one level down too). */
const PACK = path.join(__dirname, '..', 'exercises');

async function createAccount(account: (typeof DEMO_ACCOUNTS)[number]): Promise<string> {
  const { user } = await auth().api.signUpEmail({ body: { name: account.name, email: account.email, password: account.password } });
  if (account.who === 'admin') await db.user.update({ where: { id: user.id }, data: { role: 'admin' } });
  return user.id;
}

export interface SeedReport {
  seeded: boolean;
  courseId: string;
  exercises: number;
}

export async function seedDemo(now = new Date()): Promise<SeedReport> {
  const existing = await db.course.findUnique({ where: { joinCode: DEMO_COURSE.joinCode } });
  if (existing) return { seeded: false, courseId: existing.id, exercises: await db.assignment.count({ where: { courseId: existing.id } }) };

  const slugs = readdirSync(PACK, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const versions = [];
  for (const slug of slugs) {
    const published = await db.exercise.findUnique({ where: { slug }, include: { versions: { orderBy: { number: 'desc' }, take: 1 } } });
    versions.push(published?.versions[0]?.id ?? (await publishExerciseVersion({ slug, files: readPackageFolder(path.join(PACK, slug)) })).versionId);
  }
  const ids = [];
  for (const account of DEMO_ACCOUNTS) ids.push(await createAccount(account));
  const [, instructorId, ...studentIds] = ids;
  const course = await db.course.create({
    data: {
      ...DEMO_COURSE,
      enrolments: { create: [{ userId: instructorId, role: 'instructor' }, ...studentIds.map((userId) => ({ userId, role: 'student' as const }))] },
    },
  });
  for (const versionId of versions) {
    const version = await db.exerciseVersion.findUniqueOrThrow({ where: { id: versionId } });
    await db.assignment.create({
      data: { courseId: course.id, exerciseId: version.exerciseId, exerciseVersionId: version.id, opensAt: now, dueAt: new Date(now.getTime() + 14 * DAY_MS) },
    });
  }
  return { seeded: true, courseId: course.id, exercises: versions.length };
}

if (require.main === module) {
  seedDemo()
    .then(({ seeded, exercises }) => {
      console.log(seeded ? `Seeded the demo course with ${exercises} exercises. Accounts:` : 'The demo data is already there. Accounts:');
      for (const account of DEMO_ACCOUNTS) console.log(`  ${account.who.padEnd(10)} ${account.email.padEnd(28)} ${account.password}`);
      return db.$disconnect();
    })
    .catch((error: Error) => {
      console.error(`Seeding failed: ${error.message}`);
      process.exit(1);
    });
}
