import ExerciseAuthoring from '@/components/ExerciseAuthoring';
import { loadWorkspace } from '@/lib/authoring';
import { orNotFound } from '@/lib/pages';
import { requireUser } from '@/lib/session';

export const metadata = { title: 'Edit exercise · Rendezvous' };

/** The exercise's draft (or its latest version, when nothing is drafted) in the authoring workspace. */
export default async function EditExercisePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser(`/instructor/exercises/${slug}/edit`);
  const workspace = await orNotFound(loadWorkspace(user, slug));
  const validation = workspace.lastValidation?.current ? workspace.lastValidation : null;
  return (
    <main className="mx-auto flex max-w-7xl flex-col gap-4 px-4 py-6">
      <h1 className="text-2xl font-semibold">Edit {workspace.slug}</h1>
      <ExerciseAuthoring slug={workspace.slug} files={workspace.files} validation={validation} versions={workspace.versions} />
    </main>
  );
}
