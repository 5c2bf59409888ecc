import { db } from '@/lib/db';
import { json } from '@/lib/http';
import { sharedRedis } from '@/lib/redis';
import { countLiveWorkers } from '@/lib/heartbeats';

export const dynamic = 'force-dynamic';

/** How long a dependency may take to answer before it counts as down. */
const PROBE_TIMEOUT_MS = 2_000;

function within<T>(probe: Promise<T>): Promise<T> {
  return Promise.race([probe, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer in time')), PROBE_TIMEOUT_MS))]);
}

/** web.md: 200 when PostgreSQL and Redis answer, else 503 naming what failed. */
export async function GET(): Promise<Response> {
  const [database, redis] = await Promise.allSettled([within(db.$queryRaw`SELECT 1`), within(sharedRedis().ping())]);
  const workers = redis.status === 'fulfilled' ? await within(countLiveWorkers(sharedRedis())).catch(() => 0) : 0;
  const body = {
    database: database.status === 'fulfilled' ? 'ok' : 'unavailable',
    redis: redis.status === 'fulfilled' ? 'ok' : 'unavailable',
    workers,
  };
  const healthy = body.database === 'ok' && body.redis === 'ok';
  if (healthy) return json(body);
  const failing = [body.database !== 'ok' && 'the database', body.redis !== 'ok' && 'Redis'].filter(Boolean).join(' and ');
  return json({ ...body, error: `${failing} cannot be reached.` }, 503);
}
