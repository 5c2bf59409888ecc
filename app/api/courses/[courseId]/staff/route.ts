import { z } from 'zod';
import { json, readJson, requireActor, route } from '@/lib/http';
import { inviteStaff } from '@/lib/staff';

const inviteSchema = z.object({ email: z.email('give an email address'), role: z.enum(['ta', 'instructor']) });

/** Enrols an existing account as a teaching assistant or co-instructor (instructors). */
export const POST = route(async (request, { params }: { params: Promise<{ courseId: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  const { courseId } = await params;
  const { email, role } = await readJson(request, inviteSchema);
  return json(await inviteStaff(actor, courseId, email, role), 201);
});
