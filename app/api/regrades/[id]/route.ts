import { json, requireActor, route } from '@/lib/http';
import { regradeProgress } from '@/lib/regrades';

/** web.md: `{ done, total, changes: [{ student, before, after, tests }] }` (staff of the course). */
export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor(request, { changes: false });
  const { id } = await params;
  return json(await regradeProgress(actor, id));
});
