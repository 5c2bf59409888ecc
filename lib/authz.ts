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
  | 'course.configure'
  | 'site.operate';

export const PERMISSIONS: Readonly<Record<Action, readonly EffectiveRole[]>> = {
  'course.view': ['student', 'ta', 'instructor', 'admin'],
  'submission.create': ['student', 'ta', 'instructor', 'admin'],
  'submission.viewOwn': ['student', 'ta', 'instructor', 'admin'],
  'submission.viewOthers': ['ta', 'instructor', 'admin'],
  /** A course's own settings, such as its rate limits. */
  'course.configure': ['instructor', 'admin'],
  /** The platform's operations: the queue dashboard and the metrics. */
  'site.operate': ['admin'],
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

/** The actor's role in `courseId`: admin everywhere, else their enrolment's role, else none. */
export async function roleIn(actor: Actor, courseId: string): Promise<EffectiveRole | null> {
  if (actor.siteRole === 'admin') return 'admin';
  const enrolment = await db.enrolment.findUnique({ where: { courseId_userId: { courseId, userId: actor.userId } } });
  return enrolment?.role ?? null;
}
