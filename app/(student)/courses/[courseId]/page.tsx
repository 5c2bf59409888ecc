import Link from 'next/link';
import { courseWithAssignments } from '@/lib/assignments';
import { deadlineStatus, formatInstant, formatScore } from '@/lib/format';
import { windowPhase } from '@/lib/grade-policy';
import { orNotFound } from '@/lib/pages';
import { requireUser } from '@/lib/session';

const STATUS_STYLE = {
  'not started': 'text-zinc-600 dark:text-zinc-400',
  attempted: 'text-amber-700 dark:text-amber-300',
  solved: 'text-emerald-700 dark:text-emerald-300',
} as const;

const DEADLINE_STYLE = {
  upcoming: 'text-zinc-600 dark:text-zinc-400',
  open: 'text-zinc-600 dark:text-zinc-400',
  late: 'font-medium text-amber-700 dark:text-amber-300',
  closed: 'font-medium text-red-700 dark:text-red-300',
} as const;

export default async function CoursePage({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const user = await requireUser(`/courses/${courseId}`);
  const course = await orNotFound(courseWithAssignments(user, courseId));
  const now = new Date();
  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-8">
      <h1 className="text-2xl font-semibold">{course.title}</h1>
      <div className="overflow-x-auto">
        <table className="w-full min-w-[36rem] border-collapse text-left">
          <caption className="sr-only">Assignments of {course.title}</caption>
          <thead>
            <tr className="border-b border-zinc-300 text-sm dark:border-zinc-700">
              <th scope="col" className="py-2 pr-4">Exercise</th>
              <th scope="col" className="py-2 pr-4">Due</th>
              <th scope="col" className="py-2 pr-4">Status</th>
              <th scope="col" className="py-2">Score</th>
            </tr>
          </thead>
          <tbody>
            {course.rows.map((row) => {
              const left = deadlineStatus(row, now);
              return (
                <tr key={row.slug} className="border-b border-zinc-200 dark:border-zinc-800">
                  <td className="py-2 pr-4">
                    <Link href={`/courses/${courseId}/exercises/${row.slug}`} className="text-indigo-700 underline dark:text-indigo-300">{row.title}</Link>
                  </td>
                  <td className="py-2 pr-4 text-sm">
                    <time dateTime={row.dueAt.toISOString()}>{formatInstant(row.dueAt)}</time>{' '}
                    <span className={DEADLINE_STYLE[windowPhase(row, now)]}>({left})</span>
                  </td>
                  <td className={`py-2 pr-4 text-sm font-medium ${STATUS_STYLE[row.status]}`}>{row.status}</td>
                  <td className="py-2 text-sm tabular-nums">{formatScore(row.score, row.maxScore)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </main>
  );
}
