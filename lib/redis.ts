/**
 * Redis connections: one place that knows where Redis is and how keys are prefixed, so several
 * platforms (a test run, a demo, production) can share one server without seeing each other.
 */
import { Redis, type RedisOptions } from 'ioredis';

function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** Prefix of every key and channel this platform uses (BullMQ's queues included). */
export function keyPrefix(): string {
  return process.env.QUEUE_PREFIX ?? 'rendezvous';
}

/**
 * A new connection. `maxRetriesPerRequest: null` is what BullMQ requires of the connections it
 * blocks on; request handlers pass a small number so a dead Redis fails a request instead of hanging it.
 */
export function connectRedis(options: RedisOptions = {}): Redis {
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: null, ...options });
  // ioredis reconnects by itself; an outage surfaces as failed commands, answered where they fail.
  redis.on('error', () => undefined);
  return redis;
}

const holder = globalThis as typeof globalThis & { rendezvousRedis?: Redis };

/**
 * The connection a web process uses for its own commands (rate limits, publishing, health).
 * A command fails after one reconnect attempt instead of waiting for Redis to come back.
 */
export function sharedRedis(): Redis {
  holder.rendezvousRedis ??= connectRedis({ maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  return holder.rendezvousRedis;
}
