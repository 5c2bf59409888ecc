import Link from 'next/link';
import JoinCourseForm from '@/components/JoinCourseForm';
import { coursesOf } from '@/lib/courses';
import { requireUser } from '@/lib/session';

export const metadata = { title: 'Courses · Rendezvous' };

const ROLE_NAMES = { student: 'Student', ta: 'Teaching assistant', instructor: 'Instructor' } as const;

export default async function CoursesPage() {
  const user = await requireUser('/courses');
  const enrolments = await coursesOf(user.userId);
  return (
    <main className="mx-auto flex max-w-4xl flex-col gap-8 px-4 py-8">
      <h1 className="text-2xl font-semibold">Your courses</h1>
      {enrolments.length === 0 ? (
        <p>You are not in any course yet. Type the join code your instructor gave you.</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {enrolments.map(({ course, role }) => (
            <li key={course.id} className="flex items-baseline justify-between rounded border border-zinc-200 px-4 py-3 dark:border-zinc-800">
              <Link href={`/courses/${course.id}`} className="font-medium text-indigo-700 underline dark:text-indigo-300">{course.title}</Link>
              <span className="text-sm text-zinc-600 dark:text-zinc-400">{ROLE_NAMES[role]}</span>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="join-heading" className="flex flex-col gap-3">
        <h2 id="join-heading" className="text-lg font-semibold">Join another course</h2>
        <JoinCourseForm />
      </section>
    </main>
  );
}
