/**
 * The one Prisma client of a process (web app, worker, scripts), connected through node-postgres.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { z } from 'zod';
import { PrismaClient } from './generated/prisma/client';

export { Prisma } from './generated/prisma/client';
export type * from './generated/prisma/client';

/** Where the database is: `DATABASE_URL`, or the local server a development machine has. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/rendezvous';
}

const poolSchema = z.object({
  /** Connections a process keeps at most (node-postgres's default): a web process and a worker each hold their own. */
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /** How long a query waits for a free connection (or for a new one to open) before it fails and its request answers 503. */
  DATABASE_POOL_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
});

/** The pool's settings from the environment; a bad value stops the process with the variable named. */
export function poolSettings(environment: NodeJS.ProcessEnv = process.env): { max: number; connectionTimeoutMillis: number } {
  const parsed = poolSchema.safeParse(environment);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  return { max: parsed.data.DATABASE_POOL_SIZE, connectionTimeoutMillis: parsed.data.DATABASE_POOL_TIMEOUT_MS };
}

function connect(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl(), ...poolSettings() }) });
}

// Next's development server reloads modules: keep one client per process, not one per reload.
const holder = globalThis as typeof globalThis & { rendezvousDb?: PrismaClient };
export const db: PrismaClient = (holder.rendezvousDb ??= connect());
