import Link from 'next/link';
import { requireUser } from '@/lib/session';
import { taughtCourses } from '@/lib/staff';

const ROLE_NAME = { ta: 'teaching assistant', instructor: 'instructor', admin: 'admin' } as const;

export default async function TeachingPage() {
  const user = await requireUser('/instructor');
  const courses = await taughtCourses(user);
  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-8">
      <h1 className="text-2xl font-semibold">Courses you teach</h1>
      {courses.length === 0 ? (
        <p>You teach no course yet: an instructor of a course can invite you by your email address.</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {courses.map((course) => (
            <li key={course.id}>
              <Link href={`/instructor/courses/${course.id}`} className="text-indigo-700 underline dark:text-indigo-300">{course.title}</Link>{' '}
              <span className="text-sm text-zinc-600 dark:text-zinc-400">({ROLE_NAME[course.role]})</span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
