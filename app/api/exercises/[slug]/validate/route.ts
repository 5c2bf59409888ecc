import { startDraftRun } from '@/lib/authoring';
import { json, requireActor, route } from '@/lib/http';

/** Queues the grader's validation of the saved draft; its checks stream from /api/draft-runs/<id>/events. */
export const POST = route(async (request, { params }: { params: Promise<{ slug: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  return json(await startDraftRun(actor, (await params).slug, { kind: 'validate' }), 202);
});
