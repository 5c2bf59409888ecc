import Link from 'next/link';
import GradeOverrideForm from '@/components/GradeOverrideForm';
import SubmissionResults from '@/components/SubmissionResults';
import { can } from '@/lib/authz';
import { formatInstant, formatScore } from '@/lib/format';
import { orNotFound } from '@/lib/pages';
import { requireUser } from '@/lib/session';
import { findVisibleSubmission, inspectorFilterSchema, inspectSubmissions, submissionJson } from '@/lib/submissions';

const LINK = 'text-indigo-700 underline dark:text-indigo-300';
const SELECT = 'rounded border border-zinc-300 bg-white px-3 py-2 text-base font-normal dark:border-zinc-700 dark:bg-zinc-900';

type Search = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === '' ? undefined : text;
}

/** Staff's inspector: any student's submissions, filtered by student, exercise and failed test; one opened below with its tests and traces. */
export default async function SubmissionInspectorPage({ params, searchParams }: { params: Promise<{ courseId: string }>; searchParams: Promise<Search> }) {
  const { courseId } = await params;
  const search = await searchParams;
  const user = await requireUser(`/instructor/courses/${courseId}/submissions`);
  const filter = inspectorFilterSchema.parse({ student: first(search.student), exercise: first(search.exercise), failed: first(search.failed) });
  const inspector = await orNotFound(inspectSubmissions(user, courseId, filter));
  const openId = first(search.submission);
  const opened = openId ? await orNotFound(findVisibleSubmission(user, openId)) : null;
  const openedView = opened && opened.submission.assignment.courseId === courseId ? submissionJson(opened.submission, opened.role) : null;
  const query = (extra: Record<string, string>) => new URLSearchParams({ ...Object.fromEntries(Object.entries(filter).filter(([, value]) => value)), ...extra }).toString();
  const openedStudent = openedView && inspector.students.find((student) => student.id === opened!.submission.userId);
  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-8">
      <p className="text-sm"><Link href={`/instructor/courses/${courseId}`} className={LINK}>Back to {inspector.courseTitle}</Link></p>
      <h1 className="text-2xl font-semibold">Submissions to {inspector.courseTitle}</h1>
      <form method="get" aria-label="Filter submissions" className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium">
          Student
          <select name="student" defaultValue={filter.student ?? ''} className={SELECT}>
            <option value="">every student</option>
            {inspector.students.map((student) => <option key={student.id} value={student.id}>{student.name} ({student.email})</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Exercise
          <select name="exercise" defaultValue={filter.exercise ?? ''} className={SELECT}>
            <option value="">every exercise</option>
            {inspector.exercises.map((slug) => <option key={slug} value={slug}>{slug}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Test failed
          <select name="failed" defaultValue={filter.failed ?? ''} className={SELECT}>
            <option value="">any outcome</option>
            {inspector.tests.map((test) => <option key={test} value={test}>{test}</option>)}
          </select>
        </label>
        <button type="submit" className="rounded bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800">Filter</button>
      </form>
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Submissions, newest first</caption>
          <thead>
            <tr className="border-b border-zinc-300 dark:border-zinc-700">
              <th scope="col" className="py-2 pr-4">Submitted</th>
              <th scope="col" className="py-2 pr-4">Student</th>
              <th scope="col" className="py-2 pr-4">Exercise</th>
              <th scope="col" className="py-2 pr-4">Score</th>
              <th scope="col" className="py-2">Failed tests</th>
            </tr>
          </thead>
          <tbody>
            {inspector.submissions.map((submission) => (
              <tr key={submission.id} className="border-b border-zinc-200 dark:border-zinc-800">
                <td className="py-2 pr-4">
                  <Link href={`?${query({ submission: submission.id })}`} className={LINK}>{formatInstant(submission.createdAt)}</Link>
                </td>
                <td className="py-2 pr-4">{submission.student.name}</td>
                <td className="py-2 pr-4">{submission.exercise}</td>
                <td className="py-2 pr-4 tabular-nums">{submission.state === 'graded' ? formatScore(submission.score, submission.maxScore) : submission.state}</td>
                <td className="py-2">{submission.failedTests.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {inspector.submissions.length === 0 && <p>No submission matches.</p>}
      {openedView && (
        <section aria-labelledby="opened-heading" className="flex flex-col gap-4 border-t border-zinc-300 pt-6 dark:border-zinc-700">
          <h2 id="opened-heading" className="text-xl font-semibold">
            {openedStudent?.name}&apos;s submission of {openedView.exercise}, {formatInstant(new Date(openedView.createdAt))}: {formatScore(openedView.score, openedView.maxScore)}
          </h2>
          <p className="text-sm"><Link href={`/submissions/${openedView.id}`} className={LINK}>Open on its own page</Link></p>
          {openedView.result && <SubmissionResults submissionId={openedView.id} result={openedView.result} code={openedView.code} />}
          <section aria-labelledby="opened-code-heading" className="flex flex-col gap-2">
            <h3 id="opened-code-heading" className="text-lg font-semibold">Code</h3>
            <pre tabIndex={0} aria-labelledby="opened-code-heading" className="overflow-x-auto rounded bg-zinc-100 p-3 text-sm leading-snug dark:bg-zinc-900"><code>{openedView.code}</code></pre>
          </section>
          {can(opened!.role, 'grade.override') && openedStudent && (
            <section aria-labelledby="override-heading" className="flex flex-col gap-2">
              <h3 id="override-heading" className="text-lg font-semibold">Override {openedStudent.name}&apos;s grade on {openedView.exercise}</h3>
              <GradeOverrideForm courseId={courseId} slug={openedView.exercise} studentId={openedStudent.id} studentName={openedStudent.name} />
            </section>
          )}
        </section>
      )}
    </main>
  );
}
