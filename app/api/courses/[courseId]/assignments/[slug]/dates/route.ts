import { assignmentDatesSchema, rescheduleAssignment } from '@/lib/assignments';
import { json, readJson, requireActor, route } from '@/lib/http';

/** Changes an assignment's opening, due date and late policy (instructors); answers the stored dates. */
export const POST = route(async (request, { params }: { params: Promise<{ courseId: string; slug: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  const { courseId, slug } = await params;
  const dates = await readJson(request, assignmentDatesSchema);
  return json(await rescheduleAssignment(actor, courseId, slug, dates));
});
