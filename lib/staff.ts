/**
 * A course's staff: the courses a user teaches, inviting a teaching assistant or co-instructor by
 * email, and renewing the join code students enrol with.
 *
 * Rendezvous sends no email, so an invitation enrols an existing account at once; an email no
 * account uses is refused with a sentence asking the person to sign up first (a pending invitation
 * would be a second way into a course, for whoever registers that address).
 */
import { randomInt } from 'node:crypto';
import { authorize, can, canAnywhere, type Actor } from './authz';
import { db, type CourseRole } from './db';
import { HttpError } from './errors';

export interface TaughtCourse {
  id: string;
  title: string;
  role: 'ta' | 'instructor' | 'admin';
}

/** The courses the actor teaches (every course, for an admin), by title. */
export async function taughtCourses(actor: Actor): Promise<TaughtCourse[]> {
  if (actor.siteRole === 'admin') {
    const courses = await db.course.findMany({ orderBy: { title: 'asc' } });
    return courses.map((course) => ({ id: course.id, title: course.title, role: 'admin' }));
  }
  const enrolments = await db.enrolment.findMany({ where: { userId: actor.userId }, include: { course: true }, orderBy: { course: { title: 'asc' } } });
  return enrolments
    .filter((enrolment) => can(enrolment.role, 'course.teach'))
    .map((enrolment) => ({ id: enrolment.course.id, title: enrolment.course.title, role: enrolment.role as 'ta' | 'instructor' }));
}

/** Whether the site header shows the way to the instructors' pages. */
export function teachesAnything(actor: Actor): Promise<boolean> {
  return canAnywhere(actor, 'course.teach');
}

export interface StaffMember {
  userId: string;
  name: string;
  email: string;
  role: CourseRole;
}

export async function courseStaff(actor: Actor, courseId: string): Promise<StaffMember[]> {
  await authorize(actor, courseId, 'course.teach');
  const enrolments = await db.enrolment.findMany({
    where: { courseId, role: { in: ['ta', 'instructor'] } },
    include: { user: { select: { name: true, email: true } } },
    orderBy: [{ role: 'desc' }, { user: { name: 'asc' } }],
  });
  return enrolments.map((enrolment) => ({ userId: enrolment.userId, name: enrolment.user.name, email: enrolment.user.email, role: enrolment.role }));
}

/** Enrols the account with `email` as `role` (a student of the course becomes staff). */
export async function inviteStaff(actor: Actor, courseId: string, email: string, role: 'ta' | 'instructor'): Promise<StaffMember> {
  await authorize(actor, courseId, 'staff.manage');
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, name: true, email: true } });
  if (!user) throw new HttpError(400, `No account uses ${email}: ask them to create one at /signup, then invite them again.`);
  await db.enrolment.upsert({
    where: { courseId_userId: { courseId, userId: user.id } },
    create: { courseId, userId: user.id, role },
    update: { role },
  });
  return { userId: user.id, name: user.name, email: user.email, role };
}

/** Letters and digits that cannot be mistaken for one another when read aloud or off a slide. */
const JOIN_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newJoinCode(): string {
  const pick = () => JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return `${Array.from({ length: 4 }, pick).join('')}-${Array.from({ length: 4 }, pick).join('')}`;
}

/** A new join code; the old one stops enrolling anyone (students already enrolled stay). */
export async function regenerateJoinCode(actor: Actor, courseId: string): Promise<{ joinCode: string }> {
  await authorize(actor, courseId, 'staff.manage');
  const course = await db.course.update({ where: { id: courseId }, data: { joinCode: newJoinCode() } });
  return { joinCode: course.joinCode };
}
