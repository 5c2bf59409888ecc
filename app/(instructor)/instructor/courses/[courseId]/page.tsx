import Link from 'next/link';
import ActionButton from '@/components/ActionButton';
import AssignExerciseForm from '@/components/AssignExerciseForm';
import AssignmentDatesForm from '@/components/AssignmentDatesForm';
import StaffInviteForm from '@/components/StaffInviteForm';
import { courseForStaff, type StaffAssignmentRow } from '@/lib/assignments';
import { can } from '@/lib/authz';
import { formatInstant } from '@/lib/format';
import { orNotFound } from '@/lib/pages';
import { requireUser } from '@/lib/session';
import { courseStaff } from '@/lib/staff';

const LINK = 'text-indigo-700 underline dark:text-indigo-300';
const VISIBILITY = { immediately: 'immediately', after_due: 'after the due date', released: 'when released' } as const;

function latePolicy(row: StaffAssignmentRow): string {
  if (!row.hardDeadlineAt) return 'no late submissions';
  const penalty = row.latePenaltyPerDay > 0 ? `${row.latePenaltyPerDay}% off per day late` : 'no penalty';
  return `${penalty}, until ${formatInstant(row.hardDeadlineAt)}`;
}

export default async function InstructorCoursePage({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const user = await requireUser(`/instructor/courses/${courseId}`);
  const course = await orNotFound(courseForStaff(user, courseId));
  const staff = await courseStaff(user, courseId);
  const manages = can(course.role, 'assignment.manage');
  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-8">
      <h1 className="text-2xl font-semibold">{course.title}</h1>
      <nav aria-label="Course" className="flex gap-6">
        <Link href={`/instructor/courses/${courseId}/gradebook`} className={LINK}>Gradebook</Link>
        <Link href={`/instructor/courses/${courseId}/submissions`} className={LINK}>Submissions</Link>
        <Link href={`/courses/${courseId}`} className={LINK}>Student view</Link>
      </nav>
      <section aria-labelledby="assignments-heading" className="flex flex-col gap-3">
        <h2 id="assignments-heading" className="text-xl font-semibold">Assignments</h2>
        <div className="overflow-x-auto">
          <table className="w-full min-w-[56rem] border-collapse text-left text-sm">
            <caption className="sr-only">Assignments of {course.title}</caption>
            <thead>
              <tr className="border-b border-zinc-300 dark:border-zinc-700">
                <th scope="col" className="py-2 pr-3">Exercise</th>
                <th scope="col" className="py-2 pr-3">Version</th>
                <th scope="col" className="py-2 pr-3">Opens</th>
                <th scope="col" className="py-2 pr-3">Due</th>
                <th scope="col" className="py-2 pr-3">Late policy</th>
                <th scope="col" className="py-2 pr-3">Counts</th>
                <th scope="col" className="py-2 pr-3">Results shown</th>
                <th scope="col" className="py-2">Submissions</th>
              </tr>
            </thead>
            <tbody>
              {course.assignments.map((row) => (
                <tr key={row.id} className="border-b border-zinc-200 align-top dark:border-zinc-800">
                  <td className="py-2 pr-3"><Link href={`/instructor/exercises/${row.slug}`} className={LINK}>{row.title}</Link></td>
                  <td className="py-2 pr-3">
                    Version {row.versionNumber}
                    {row.newestVersionNumber > row.versionNumber && <span className="block font-medium">version {row.newestVersionNumber} published: regrade to move</span>}
                  </td>
                  <td className="py-2 pr-3"><time dateTime={row.opensAt.toISOString()}>{formatInstant(row.opensAt)}</time></td>
                  <td className="py-2 pr-3">
                    <time dateTime={row.dueAt.toISOString()}>{formatInstant(row.dueAt)}</time>
                    {manages && (
                      <span className="block">
                        <AssignmentDatesForm courseId={courseId} slug={row.slug} title={row.title} dates={{
                          opensAt: row.opensAt.toISOString(),
                          dueAt: row.dueAt.toISOString(),
                          latePenaltyPerDay: row.latePenaltyPerDay,
                          hardDeadlineAt: row.hardDeadlineAt?.toISOString() ?? null,
                        }} />
                      </span>
                    )}
                  </td>
                  <td className="py-2 pr-3">{latePolicy(row)}</td>
                  <td className="py-2 pr-3">{row.counting} submission</td>
                  <td className="py-2 pr-3">
                    {VISIBILITY[row.resultVisibility]}
                    {row.resultVisibility === 'released' && (row.releasedAt
                      ? <span className="block">released {formatInstant(row.releasedAt)}</span>
                      : manages && <span className="mt-1 block"><ActionButton label="Release results" url={`/api/courses/${courseId}/assignments/${row.slug}/release`} done="Released." /></span>)}
                  </td>
                  <td className="py-2 tabular-nums">{row.submissions} from {row.submitters} student{row.submitters === 1 ? '' : 's'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {course.assignments.length === 0 && <p>No exercise is assigned yet.</p>}
        {manages && <AssignExerciseForm courseId={courseId} exercises={course.assignable} />}
      </section>
      <section aria-labelledby="staff-heading" className="flex flex-col gap-3">
        <h2 id="staff-heading" className="text-xl font-semibold">Staff</h2>
        <ul className="flex flex-col gap-1 text-sm">
          {staff.map((member) => (
            <li key={member.userId}>{member.name} ({member.email}): {member.role === 'ta' ? 'teaching assistant' : 'instructor'}</li>
          ))}
        </ul>
        {can(course.role, 'staff.manage') && (
          <>
            <p className="text-sm">An invitation enrols an existing account at once; someone without one must sign up first.</p>
            <StaffInviteForm courseId={courseId} />
          </>
        )}
        <p className="flex flex-wrap items-center gap-3 text-sm">
          <span>Join code: <code className="font-mono text-base">{course.joinCode}</code></span>
          {can(course.role, 'staff.manage') && <ActionButton label="Regenerate join code" url={`/api/courses/${courseId}/join-code`} done="The old code no longer enrols anyone." />}
        </p>
      </section>
    </main>
  );
}
