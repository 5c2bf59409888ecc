import { findDraftRun } from '@/lib/authoring';
import { json, requireActor, route } from '@/lib/http';

/** A validation or try-as-a-student run of a draft: its state, its checks so far, its result. */
export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor(request, { changes: false });
  return json(await findDraftRun(actor, (await params).id));
});
