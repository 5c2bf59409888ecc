import Link from 'next/link';
import ExerciseWorkspace from '@/components/ExerciseWorkspace';
import PublishedStatement from '@/components/PublishedStatement';
import { exerciseWorkspace } from '@/lib/assignments';
import { deadlineStatus, formatInstant } from '@/lib/format';
import { orNotFound } from '@/lib/pages';
import { requireUser } from '@/lib/session';
import { latestOwnSubmission } from '@/lib/submissions';

export default async function ExercisePage({ params }: { params: Promise<{ courseId: string; slug: string }> }) {
  const { courseId, slug } = await params;
  const user = await requireUser(`/courses/${courseId}/exercises/${slug}`);
  const workspace = await orNotFound(exerciseWorkspace(user, courseId, slug));
  const latest = await latestOwnSubmission(user, workspace.assignmentId, workspace.role);
  return (
    <main className="mx-auto grid max-w-7xl gap-8 px-4 py-6 lg:grid-cols-2">
      <div className="flex min-w-0 flex-col gap-4">
        <p className="text-sm">
          <Link href={`/courses/${courseId}`} className="text-indigo-700 underline dark:text-indigo-300">{workspace.courseTitle}</Link>
        </p>
        <h1 className="text-2xl font-semibold">{workspace.title}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Due <time dateTime={workspace.window.dueAt.toISOString()}>{formatInstant(workspace.window.dueAt)}</time> ({deadlineStatus(workspace.window, new Date())})
        </p>
        <PublishedStatement versionId={workspace.exerciseVersionId} markdown={workspace.statement} title={workspace.title} />
      </div>
      <div className="min-w-0">
        <ExerciseWorkspace courseId={courseId} slug={slug} initialCode={workspace.draft ?? workspace.starter} latest={latest} browserRun={workspace.browserRun} />
      </div>
    </main>
  );
}
