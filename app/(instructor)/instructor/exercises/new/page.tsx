import { notFound } from 'next/navigation';
import ExerciseAuthoring from '@/components/ExerciseAuthoring';
import { mayAuthor, starterPackage } from '@/lib/authoring';
import { requireUser } from '@/lib/session';

export const metadata = { title: 'New exercise · Rendezvous' };

/** A new exercise from a small sound package: it saves as a draft once it has a slug. */
export default async function NewExercisePage() {
  const user = await requireUser('/instructor/exercises/new');
  if (!(await mayAuthor(user))) notFound();
  return (
    <main className="mx-auto flex max-w-7xl flex-col gap-4 px-4 py-6">
      <h1 className="text-2xl font-semibold">New exercise</h1>
      <ExerciseAuthoring slug={null} files={starterPackage()} validation={null} versions={0} />
    </main>
  );
}
