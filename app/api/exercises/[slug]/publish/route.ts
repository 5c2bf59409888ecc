import { publishDraft } from '@/lib/authoring';
import { json, requireActor, route } from '@/lib/http';

/** Publishes the validated draft as the next version (409 with the failing checks until it is valid). */
export const POST = route(async (request, { params }: { params: Promise<{ slug: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  const { number } = await publishDraft(actor, (await params).slug);
  return json({ version: number }, 201);
});
