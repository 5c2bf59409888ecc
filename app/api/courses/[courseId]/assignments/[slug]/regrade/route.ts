import { json, requireActor, route } from '@/lib/http';
import { startRegrade } from '@/lib/regrades';

/** web.md: re-grades every counted submission against the newest version; 409 while a regrade of it runs. */
export const POST = route(async (request, { params }: { params: Promise<{ courseId: string; slug: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  const { courseId, slug } = await params;
  return json(await startRegrade(actor, courseId, slug), 202);
});
