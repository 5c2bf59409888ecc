import { z } from 'zod';
import { overrideGrade } from '@/lib/gradebook';
import { json, readJson, requireActor, route } from '@/lib/http';

const overrideSchema = z.object({
  student: z.string().min(1, 'name the student'),
  score: z.number().min(0, 'a score cannot be negative'),
  reason: z.string().trim().min(1, 'give the reason for the override').max(1000),
});

/** Sets a student's grade on the assignment by hand, with a reason (audited). */
export const POST = route(async (request, { params }: { params: Promise<{ courseId: string; slug: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  const { courseId, slug } = await params;
  await overrideGrade(actor, courseId, slug, await readJson(request, overrideSchema));
  return json({ ok: true });
});
