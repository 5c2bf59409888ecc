import { z } from 'zod';
import { json, readJson, requireActor, route } from '@/lib/http';
import { createApiToken, listApiTokens } from '@/lib/tokens';

const newTokenSchema = z.object({ name: z.string().trim().min(1, 'give the token a name').max(100) });

/** The caller's tokens (never their text, which exists only when created). */
export const GET = route(async (request) => {
  const actor = await requireActor(request, { changes: false });
  return json({ tokens: await listApiTokens(actor.userId) });
});

export const POST = route(async (request) => {
  const actor = await requireActor(request, { changes: true });
  const { name } = await readJson(request, newTokenSchema);
  return json(await createApiToken(actor.userId, name), 201);
});
