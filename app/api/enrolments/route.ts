import { z } from 'zod';
import { enrolWithJoinCode } from '@/lib/courses';
import { HttpError } from '@/lib/errors';
import { json, readJson, requireActor, route } from '@/lib/http';

const joinSchema = z.object({ joinCode: z.string().trim().min(1, 'type the join code your instructor gave you').max(64) });

/** Joins the course a join code names, as a student. */
export const POST = route(async (request) => {
  const actor = await requireActor(request, { changes: true });
  const { joinCode } = await readJson(request, joinSchema);
  const enrolment = await enrolWithJoinCode(actor.userId, joinCode);
  if (!enrolment) throw new HttpError(400, `No course has the join code '${joinCode}'.`);
  return json({ course: enrolment.courseId }, 201);
});
