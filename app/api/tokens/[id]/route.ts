import { notFound } from '@/lib/errors';
import { requireActor, route } from '@/lib/http';
import { revokeApiToken } from '@/lib/tokens';

export const DELETE = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  if (!(await revokeApiToken(actor.userId, (await params).id))) throw notFound('That token');
  return new Response(null, { status: 204 });
});
