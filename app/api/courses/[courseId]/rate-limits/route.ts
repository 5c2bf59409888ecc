import { json, readJson, requireActor, route } from '@/lib/http';
import { courseRateSettingsSchema, readCourseRateLimits, setCourseRateLimits } from '@/lib/ratelimit';

type Context = { params: Promise<{ courseId: string }> };

/** A course's submission limits, those in force and the site's maxima (its instructors). */
export const GET = route(async (request, { params }: Context) => {
  const actor = await requireActor(request, { changes: false });
  return json(await readCourseRateLimits(actor, (await params).courseId));
});

/** Sets them; above the site's maxima is refused with a sentence. */
export const PUT = route(async (request, { params }: Context) => {
  const actor = await requireActor(request, { changes: true });
  const settings = await readJson(request, courseRateSettingsSchema);
  return json(await setCourseRateLimits(actor, (await params).courseId, settings));
});
