import Link from 'next/link';
import LiveRefresh from '@/components/LiveRefresh';
import SubmissionResults from '@/components/SubmissionResults';
import SubmissionStatus from '@/components/SubmissionStatus';
import { formatInstant } from '@/lib/format';
import { orNotFound } from '@/lib/pages';
import { requireUser } from '@/lib/session';
import { statusText } from '@/lib/submission-view';
import { findVisibleSubmission, submissionJson } from '@/lib/submissions';

export default async function SubmissionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/submissions/${id}`);
  const { submission, role } = await orNotFound(findVisibleSubmission(user, id));
  const view = submissionJson(submission, role);
  const final = view.state === 'graded' || view.state === 'error';
  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-8">
      <p className="text-sm">
        <Link href={`/courses/${view.course}/exercises/${view.exercise}`} className="text-indigo-700 underline dark:text-indigo-300">Back to the exercise</Link>
      </p>
      <h1 className="text-2xl font-semibold">
        {view.kind === 'visible' ? 'Visible-test run' : 'Submission'} of {view.exercise}
      </h1>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="font-medium">Submitted</dt>
        <dd>{formatInstant(new Date(view.createdAt))}</dd>
        <dt className="font-medium">State</dt>
        <dd>{view.state}</dd>
        <dt className="font-medium">Score</dt>
        <dd className="tabular-nums">{view.score === null ? '—' : `${view.score}/${view.maxScore}`}</dd>
      </dl>
      {final ? <SubmissionStatus text={statusText(view.state, view.score, view.maxScore, view.result?.message)} /> : <LiveRefresh submissionId={view.id} state={view.state} />}
      {view.result && <SubmissionResults submissionId={view.id} result={view.result} code={view.code} />}
      <section aria-labelledby="code-heading" className="flex flex-col gap-2">
        <h2 id="code-heading" className="text-lg font-semibold">Code</h2>
        <pre tabIndex={0} aria-labelledby="code-heading" className="overflow-x-auto rounded bg-zinc-100 p-3 text-sm leading-snug dark:bg-zinc-900"><code>{view.code}</code></pre>
      </section>
    </main>
  );
}
