/**
 * Personal API tokens for scripts (`Authorization: Bearer rvz_…`). The token is shown once; only
 * its SHA-256 is stored, so a database leak reveals no usable token.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from './authz';
import { db } from './db';

const TOKEN_PREFIX = 'rvz_';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token for `userId` and returns it: the only time its text exists outside the caller. */
export async function createApiToken(userId: string, name: string, client: Pick<typeof db, 'apiToken'> = db): Promise<{ id: string; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await client.apiToken.create({ data: { userId, name, tokenHash: hashToken(token) } });
  return { id: row.id, token };
}

/** How stale a token's "last used" may get: recording every use would cost each API request a write. */
const LAST_USED_PRECISION_MS = 60_000;

/** Who a bearer token belongs to (with their site role), or null for an unknown, revoked or expired token. */
export async function actorForToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: { select: { role: true } } } });
  const now = new Date();
  if (!row || (row.expiresAt && row.expiresAt < now)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { userId: row.userId, siteRole: row.user.role };
}

export async function revokeApiToken(userId: string, tokenId: string): Promise<boolean> {
  const { count } = await db.apiToken.deleteMany({ where: { id: tokenId, userId } });
  return count > 0;
}

/** A user's tokens, newest first; their text is never stored, so never listed. */
export function listApiTokens(userId: string) {
  return db.apiToken.findMany({
    where: { userId },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true },
    orderBy: { createdAt: 'desc' },
  });
}
