/**
 * The one Prisma client of a process (web app, worker, scripts), connected through node-postgres.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export { Prisma } from './generated/prisma/client';
export type * from './generated/prisma/client';

/** Where the database is: `DATABASE_URL`, or the local server a development machine has. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/rendezvous';
}

function connect(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl(), connectionTimeoutMillis: 5_000 }) });
}

// Next's development server reloads modules: keep one client per process, not one per reload.
const holder = globalThis as typeof globalThis & { rendezvousDb?: PrismaClient };
export const db: PrismaClient = (holder.rendezvousDb ??= connect());
