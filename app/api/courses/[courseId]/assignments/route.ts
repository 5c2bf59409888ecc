import { assignExercise, assignmentInputSchema } from '@/lib/assignments';
import { json, readJson, requireActor, route } from '@/lib/http';

/** Assigns an exercise's newest version to the course (instructors). */
export const POST = route(async (request, { params }: { params: Promise<{ courseId: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  const { courseId } = await params;
  const input = await readJson(request, assignmentInputSchema);
  return json(await assignExercise(actor, courseId, input), 201);
});
