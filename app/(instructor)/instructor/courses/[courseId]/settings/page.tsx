import RateLimitForm from '@/components/RateLimitForm';
import { orNotFound } from '@/lib/pages';
import { readCourseRateLimits } from '@/lib/ratelimit';
import { requireUser } from '@/lib/session';

export const metadata = { title: 'Course settings · Rendezvous' };

export default async function CourseSettingsPage({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const user = await requireUser(`/instructor/courses/${courseId}/settings`);
  const limits = await orNotFound(readCourseRateLimits(user, courseId));
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-8">
      <h1 className="text-2xl font-semibold">Settings of {limits.title}</h1>
      <section aria-labelledby="limits" className="flex flex-col gap-3">
        <h2 id="limits" className="text-lg font-semibold">Rate limits</h2>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          How many submissions a student, and the whole course, may make in a minute: fewer makes guess-and-submit slow; more lets a class work
          together on deadline night. A refused submission tells the student when to try again. Visible-test runs do not count towards a student&apos;s limit.
        </p>
        <RateLimitForm courseId={courseId} settings={limits.settings} effective={limits.effective} maxima={limits.maxima} />
      </section>
    </main>
  );
}
