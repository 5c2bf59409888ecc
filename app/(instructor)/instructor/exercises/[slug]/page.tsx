import Link from 'next/link';
import RegradePanel from '@/components/RegradePanel';
import { formatInstant } from '@/lib/format';
import { orNotFound } from '@/lib/pages';
import { exerciseOverview } from '@/lib/regrades';
import { requireUser } from '@/lib/session';

const LINK = 'text-indigo-700 underline dark:text-indigo-300';

/** An exercise's published versions and, per assignment of it in a course the user teaches, its regrade. */
export default async function ExerciseVersionsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser(`/instructor/exercises/${slug}`);
  const exercise = await orNotFound(exerciseOverview(user, slug));
  const newest = exercise.versions[0].number;
  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-8">
      <h1 className="text-2xl font-semibold">{exercise.title}</h1>
      <section aria-labelledby="versions-heading" className="flex flex-col gap-2">
        <h2 id="versions-heading" className="text-xl font-semibold">Published versions</h2>
        <ul className="flex flex-col gap-1">
          {exercise.versions.map((version) => (
            <li key={version.number}>
              <span className="font-medium">{`Version ${version.number}`}</span>: {version.title}, published {formatInstant(version.publishedAt)}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="assignments-heading" className="flex flex-col gap-4">
        <h2 id="assignments-heading" className="text-xl font-semibold">Assignments</h2>
        {exercise.assignments.length === 0 && <p>No course you teach has assigned it.</p>}
        {exercise.assignments.map((assignment) => (
          <section key={assignment.courseId} aria-label={assignment.courseTitle} className="flex flex-col gap-2 rounded border border-zinc-200 p-4 dark:border-zinc-800">
            <h3 className="text-lg font-semibold">
              <Link href={`/instructor/courses/${assignment.courseId}`} className={LINK}>{assignment.courseTitle}</Link>
            </h3>
            <p className="text-sm">
              Graded against version {assignment.versionNumber}
              {assignment.versionNumber < newest ? `; Regrade moves it to version ${newest} and grades every counted submission again.` : ', the newest.'}
            </p>
            <RegradePanel courseId={assignment.courseId} slug={slug} latestId={assignment.latestRegrade?.id ?? null} mayRegrade={assignment.mayRegrade} />
          </section>
        ))}
      </section>
    </main>
  );
}
