/**
 * Grading workers announce themselves in Redis: each keeps a key with a short time to live
 * alive, so a worker that dies, however it dies, stops being counted within seconds.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keyPrefix } from './redis';

/** A worker that has not refreshed its key for this long is gone. */
export const HEARTBEAT_TTL_MS = 15_000;
/** Well inside the time to live, so one late refresh does not make a live worker vanish. */
export const HEARTBEAT_EVERY_MS = 5_000;

const heartbeatSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  concurrency: z.number().int().positive(),
  startedAt: z.string(),
  /** Submissions this worker is grading right now: the reconciler leaves them alone. */
  grading: z.array(z.string()),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;

function workerKey(workerId: string): string {
  return `${keyPrefix()}:worker:${workerId}`;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

export async function writeHeartbeat(redis: Redis, workerId: string, heartbeat: Heartbeat): Promise<void> {
  await redis.set(workerKey(workerId), JSON.stringify(heartbeat), 'PX', HEARTBEAT_TTL_MS);
}

export async function removeHeartbeat(redis: Redis, workerId: string): Promise<void> {
  await redis.del(workerKey(workerId));
}

/** Every live worker's heartbeat (a key that expires while being read is skipped). */
export async function liveWorkers(redis: Redis): Promise<Heartbeat[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${escapeGlob(keyPrefix())}:worker:*`, 'COUNT', 100);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(keys);
  return values.flatMap((value) => {
    if (value === null) return [];
    const parsed = heartbeatSchema.safeParse(JSON.parse(value));
    return parsed.success ? [parsed.data] : [];
  });
}

/** How many grading workers are alive: what the health endpoint reports as `workers`. */
export async function countLiveWorkers(redis: Redis): Promise<number> {
  return (await liveWorkers(redis)).length;
}
