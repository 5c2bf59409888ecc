/**
 * Per-user submission limits, counted in Redis so every web process shares them: a window opens
 * at a user's first request and allows `limit` requests until it closes.
 */
import type { Redis } from 'ioredis';
import type { SubmissionKind } from './db';
import { keyPrefix } from './redis';

const WINDOW_SECONDS = 60;

/** Requests a user may make per minute, by kind (web.md's defaults; the environment may change them). */
export function limitPerMinute(kind: SubmissionKind): number {
  const configured = Number(kind === 'submit' ? process.env.RATE_LIMIT_SUBMIT_PER_MINUTE : process.env.RATE_LIMIT_VISIBLE_PER_MINUTE);
  if (Number.isInteger(configured) && configured > 0) return configured;
  return kind === 'submit' ? 6 : 20;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts one request of `kind` by `userId`, and says whether it is within the limit. */
export async function takeSubmissionSlot(redis: Redis, userId: string, kind: SubmissionKind): Promise<RateDecision> {
  const key = `${keyPrefix()}:rate:${kind}:${userId}`;
  const [[, count], [, ttl]] = (await redis.multi().incr(key).expire(key, WINDOW_SECONDS, 'NX').ttl(key).exec()) as [[null, number], [null, number], [null, number]];
  if (count <= limitPerMinute(kind)) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, ttl) };
}
