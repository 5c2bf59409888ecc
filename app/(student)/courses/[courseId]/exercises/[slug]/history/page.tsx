import Link from 'next/link';
import SubmissionDiff from '@/components/SubmissionDiff';
import { exerciseWorkspace } from '@/lib/assignments';
import { formatInstant, formatScore } from '@/lib/format';
import { orNotFound } from '@/lib/pages';
import { requireUser } from '@/lib/session';
import { listSubmissions } from '@/lib/submissions';

export default async function HistoryPage({ params }: { params: Promise<{ courseId: string; slug: string }> }) {
  const { courseId, slug } = await params;
  const user = await requireUser(`/courses/${courseId}/exercises/${slug}/history`);
  const workspace = await orNotFound(exerciseWorkspace(user, courseId, slug));
  const submissions = await listSubmissions(user, courseId, slug);
  const label = (s: (typeof submissions)[number]) => `${formatInstant(new Date(s.createdAt))} · ${s.kind === 'visible' ? 'visible tests' : 'submission'} · ${formatScore(s.score, s.maxScore)}`;
  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-8">
      <p className="text-sm">
        <Link href={`/courses/${courseId}/exercises/${slug}`} className="text-indigo-700 underline dark:text-indigo-300">Back to {workspace.title}</Link>
      </p>
      <h1 className="text-2xl font-semibold">History: {workspace.title}</h1>
      {submissions.length === 0 ? (
        <p>Nothing submitted yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[32rem] border-collapse text-left text-sm">
            <caption className="sr-only">Your submissions, newest first</caption>
            <thead>
              <tr className="border-b border-zinc-300 dark:border-zinc-700">
                <th scope="col" className="py-2 pr-4">When</th>
                <th scope="col" className="py-2 pr-4">Kind</th>
                <th scope="col" className="py-2 pr-4">State</th>
                <th scope="col" className="py-2">Score</th>
              </tr>
            </thead>
            <tbody>
              {submissions.map((s) => (
                <tr key={s.id} className="border-b border-zinc-200 dark:border-zinc-800">
                  <td className="py-2 pr-4"><Link href={`/submissions/${s.id}`} className="text-indigo-700 underline dark:text-indigo-300">{formatInstant(new Date(s.createdAt))}</Link></td>
                  <td className="py-2 pr-4">{s.kind === 'visible' ? 'visible tests' : 'submission'}</td>
                  <td className="py-2 pr-4">{s.state}</td>
                  <td className="py-2 tabular-nums">{formatScore(s.score, s.maxScore)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {submissions.length >= 2 && <SubmissionDiff versions={submissions.map((s) => ({ id: s.id, label: label(s), code: s.code }))} />}
    </main>
  );
}
