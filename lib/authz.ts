/**
 * Who may do what: one table of role × action, used by every route handler, page and server
 * action, and by the authorisation tests. A user's role is per course (their enrolment); a site
 * admin holds every role everywhere.
 */
import type { CourseRole } from './db';
import { db } from './db';

/** The role a user plays in one course; `null` when they play none there. */
export type EffectiveRole = CourseRole | 'admin';

export type Action =
  | 'course.view'
  | 'submission.create'
  | 'submission.viewOwn'
  | 'submission.viewOthers'
  | 'exercise.create'
  | 'exercise.edit';

export const PERMISSIONS: Readonly<Record<Action, readonly EffectiveRole[]>> = {
  'course.view': ['student', 'ta', 'instructor', 'admin'],
  'submission.create': ['student', 'ta', 'instructor', 'admin'],
  'submission.viewOwn': ['student', 'ta', 'instructor', 'admin'],
  'submission.viewOthers': ['ta', 'instructor', 'admin'],
  // Exercises belong to no one course: the role here is authoringRole's or exerciseRole's, below.
  'exercise.create': ['instructor', 'admin'],
  'exercise.edit': ['instructor', 'admin'],
};

export interface Actor {
  userId: string;
  siteRole: 'user' | 'admin';
}

export function can(role: EffectiveRole | null, action: Action): boolean {
  return role !== null && PERMISSIONS[action].includes(role);
}

/** The actor's role in `courseId`: admin everywhere, else their enrolment's role, else none. */
export async function roleIn(actor: Actor, courseId: string): Promise<EffectiveRole | null> {
  if (actor.siteRole === 'admin') return 'admin';
  const enrolment = await db.enrolment.findUnique({ where: { courseId_userId: { courseId, userId: actor.userId } } });
  return enrolment?.role ?? null;
}

/** The actor's role as an author of new exercises: admin, or instructor when they teach any course. */
export async function authoringRole(actor: Actor): Promise<EffectiveRole | null> {
  if (actor.siteRole === 'admin') return 'admin';
  const teaches = await db.enrolment.count({ where: { userId: actor.userId, role: 'instructor' } });
  return teaches > 0 ? 'instructor' : null;
}

/**
 * The actor's role on the exercise `slug`: admin everywhere; instructor when they started its
 * draft or teach a course that assigns it; none otherwise. A slug nobody has used yet is anyone's
 * who may author (authoringRole).
 */
export async function exerciseRole(actor: Actor, slug: string): Promise<EffectiveRole | null> {
  if (actor.siteRole === 'admin') return 'admin';
  const [draft, exercise] = await Promise.all([
    db.exerciseDraft.findUnique({ where: { slug }, select: { authorId: true } }),
    db.exercise.findUnique({ where: { slug }, select: { id: true } }),
  ]);
  if (!draft && !exercise) return authoringRole(actor);
  if (draft?.authorId === actor.userId) return 'instructor';
  if (!exercise) return null;
  const teaching = await db.enrolment.count({
    where: { userId: actor.userId, role: 'instructor', course: { assignments: { some: { exerciseId: exercise.id } } } },
  });
  return teaching > 0 ? 'instructor' : null;
}
