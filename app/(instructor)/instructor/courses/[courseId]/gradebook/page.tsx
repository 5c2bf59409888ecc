import Link from 'next/link';
import GradebookCharts, { type ChartAssignment } from '@/components/GradebookCharts';
import { courseGradebook, gradebookCell, type GradebookCell } from '@/lib/gradebook';
import { orNotFound } from '@/lib/pages';
import { requireUser } from '@/lib/session';

const LINK = 'text-indigo-700 underline dark:text-indigo-300';

function CellText({ cell }: { cell: GradebookCell }) {
  if (cell.score === null) return <span className="text-zinc-500">—</span>;
  return (
    <>
      <span className="tabular-nums">{cell.maxScore === null ? cell.score : `${cell.score}/${cell.maxScore}`}</span>
      {cell.daysLate > 0 && <span className="ml-1 font-medium">{`late (${cell.daysLate} d)`}</span>}
      {cell.override !== null && <span className="ml-1 font-medium" title={cell.override}>{`overridden: ${cell.override}`}</span>}
    </>
  );
}

export default async function GradebookPage({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const user = await requireUser(`/instructor/courses/${courseId}/gradebook`);
  const gradebook = await orNotFound(courseGradebook(user, courseId));
  const charts: ChartAssignment[] = gradebook.assignments.map((assignment) => ({
    slug: assignment.slug,
    title: assignment.title,
    percents: gradebook.students
      .map((student) => gradebookCell(gradebook, student.id, assignment.id))
      .filter((cell) => cell.score !== null && cell.maxScore !== null && cell.maxScore > 0)
      .map((cell) => (100 * cell.score!) / cell.maxScore!),
    passRates: gradebook.passRates[assignment.id] ?? [],
  }));
  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-8">
      <p className="text-sm"><Link href={`/instructor/courses/${courseId}`} className={LINK}>Back to {gradebook.courseTitle}</Link></p>
      <h1 className="text-2xl font-semibold">Gradebook of {gradebook.courseTitle}</h1>
      <p className="flex flex-wrap gap-6 text-sm">
        <a href={`/api/courses/${courseId}/gradebook.csv`} download className={LINK}>Export CSV</a>
        <span>Each cell is the score that counts under the assignment&apos;s policy (best or last submission), after any late penalty.</span>
      </p>
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Students and their scores per assignment</caption>
          <thead>
            <tr className="border-b border-zinc-300 dark:border-zinc-700">
              <th scope="col" className="py-2 pr-4">Student</th>
              {gradebook.assignments.map((assignment) => (
                <th key={assignment.id} scope="col" className="py-2 pr-4">
                  {assignment.title} <span className="block font-normal text-zinc-600 dark:text-zinc-400">{assignment.counting} counts</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {gradebook.students.map((student) => (
              <tr key={student.id} className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="row" className="py-2 pr-4 font-normal">
                  <Link href={`/instructor/courses/${courseId}/submissions?student=${student.id}`} className={LINK}>{student.name}</Link>
                  <span className="block text-xs text-zinc-600 dark:text-zinc-400">{student.email}</span>
                </th>
                {gradebook.assignments.map((assignment) => (
                  <td key={assignment.id} className="py-2 pr-4"><CellText cell={gradebookCell(gradebook, student.id, assignment.id)} /></td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {gradebook.students.length === 0 && <p>No student has joined yet.</p>}
      <GradebookCharts assignments={charts} />
    </main>
  );
}
