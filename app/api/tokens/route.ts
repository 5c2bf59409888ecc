import { z } from 'zod';
import { db } from '@/lib/db';
import { json, readJson, requireActor, route } from '@/lib/http';
import { createApiToken } from '@/lib/tokens';

const newTokenSchema = z.object({ name: z.string().trim().min(1, 'give the token a name').max(100) });

/** The caller's tokens (never their text, which exists only when created). */
export const GET = route(async (request) => {
  const actor = await requireActor(request, { changes: false });
  const tokens = await db.apiToken.findMany({
    where: { userId: actor.userId },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true },
    orderBy: { createdAt: 'desc' },
  });
  return json({ tokens });
});

export const POST = route(async (request) => {
  const actor = await requireActor(request, { changes: true });
  const { name } = await readJson(request, newTokenSchema);
  return json(await createApiToken(actor.userId, name), 201);
});
