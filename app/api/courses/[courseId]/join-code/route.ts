import { json, requireActor, route } from '@/lib/http';
import { regenerateJoinCode } from '@/lib/staff';

/** A new join code for the course; the old one stops working (instructors). */
export const POST = route(async (request, { params }: { params: Promise<{ courseId: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  const { courseId } = await params;
  return json(await regenerateJoinCode(actor, courseId));
});
