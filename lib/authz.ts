/**
 * Who may do what: one table of role × action, used by every route handler, page and server
 * action, and by the authorisation tests. A user's role is per course (their enrolment); a site
 * admin holds every role everywhere.
 */
import type { CourseRole } from './db';
import { db } from './db';
import { notFound } from './errors';

/** The role a user plays in one course; `null` when they play none there. */
export type EffectiveRole = CourseRole | 'admin';

export type Action =
  | 'course.view'
  | 'submission.create'
  | 'submission.viewOwn'
  | 'submission.viewOthers'
  | 'course.configure'
  | 'site.operate'
  | 'course.teach'
  | 'gradebook.view'
  | 'regrade.view'
  | 'assignment.manage'
  | 'assignment.regrade'
  | 'grade.override'
  | 'staff.manage'
  | 'exercise.viewVersions'
  | 'exercise.create'
  | 'exercise.edit';

/**
 * Teaching assistants see what the course's staff sees (its instructor pages, the gradebook and its
 * CSV, every submission, regrades' progress) but change no grade and no one's access: assigning,
 * releasing, regrading, overriding a grade, inviting staff and renewing the join code are the
 * instructors'.
 */
export const PERMISSIONS: Readonly<Record<Action, readonly EffectiveRole[]>> = {
  'course.view': ['student', 'ta', 'instructor', 'admin'],
  'submission.create': ['student', 'ta', 'instructor', 'admin'],
  'submission.viewOwn': ['student', 'ta', 'instructor', 'admin'],
  'submission.viewOthers': ['ta', 'instructor', 'admin'],
  /** A course's own settings, such as its rate limits. */
  'course.configure': ['instructor', 'admin'],
  /** The platform's operations: the queue dashboard and the metrics. */
  'site.operate': ['admin'],
  'course.teach': ['ta', 'instructor', 'admin'],
  'gradebook.view': ['ta', 'instructor', 'admin'],
  'regrade.view': ['ta', 'instructor', 'admin'],
  'assignment.manage': ['instructor', 'admin'],
  'assignment.regrade': ['instructor', 'admin'],
  'grade.override': ['instructor', 'admin'],
  'staff.manage': ['instructor', 'admin'],
  // Exercises belong to no course: staff of any course may read their published versions.
  'exercise.viewVersions': ['ta', 'instructor', 'admin'],
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

/** The role an actor plays outside any course: admin or none. */
export function siteRole(actor: Actor | null): EffectiveRole | null {
  return actor?.siteRole === 'admin' ? 'admin' : null;
}

/** The actor's role in a course where `enrolment` is theirs (or none): admin everywhere, else the enrolment's role. */
export function roleFromEnrolment(actor: Actor, enrolment: { role: EffectiveRole } | null | undefined): EffectiveRole | null {
  return actor.siteRole === 'admin' ? 'admin' : (enrolment?.role ?? null);
}

/** The actor's role in `courseId`: admin everywhere, else their enrolment's role, else none. */
export async function roleIn(actor: Actor, courseId: string): Promise<EffectiveRole | null> {
  if (actor.siteRole === 'admin') return 'admin';
  return roleFromEnrolment(actor, await db.enrolment.findUnique({ where: { courseId_userId: { courseId, userId: actor.userId } } }));
}

/** The actor's role in `courseId` when it permits `action`; otherwise the course answers 404, as if it did not exist. */
export async function authorize(actor: Actor, courseId: string, action: Action): Promise<EffectiveRole> {
  const role = await roleIn(actor, courseId);
  if (role === null || !can(role, action)) throw notFound('That course');
  // An enrolment proves the course exists; an admin's role does not, and a course that does not exist is a 404 for them too.
  if (role === 'admin' && (await db.course.count({ where: { id: courseId } })) === 0) throw notFound('That course');
  return role;
}

/** Whether any of the actor's roles, in any course, permits `action` (for what belongs to no course). */
export async function canAnywhere(actor: Actor, action: Action): Promise<boolean> {
  if (actor.siteRole === 'admin') return can('admin', action);
  const enrolments = await db.enrolment.findMany({ where: { userId: actor.userId }, select: { role: true }, distinct: ['role'] });
  return enrolments.some((enrolment) => can(enrolment.role, action));
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
