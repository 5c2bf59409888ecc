/**
 * Courses and who is in them.
 */
import { db } from './db';

export function findCourseByJoinCode(joinCode: string) {
  return db.course.findUnique({ where: { joinCode: joinCode.trim() } });
}

/** Enrols `userId` as a student of the course with `joinCode`; enrolling twice keeps one enrolment. */
export async function enrolWithJoinCode(userId: string, joinCode: string): Promise<{ courseId: string } | null> {
  const course = await findCourseByJoinCode(joinCode);
  if (!course) return null;
  await db.enrolment.upsert({
    where: { courseId_userId: { courseId: course.id, userId } },
    create: { courseId: course.id, userId, role: 'student' },
    update: {},
  });
  return { courseId: course.id };
}

/** The courses a user belongs to, with their role in each, by title. */
export function coursesOf(userId: string) {
  return db.enrolment.findMany({
    where: { userId },
    include: { course: true },
    orderBy: { course: { title: 'asc' } },
  });
}
