/**
 * Applies prisma/migrations/*\/migration.sql in order, recording each in Prisma's own
 * `_prisma_migrations` table exactly as `prisma migrate deploy` would, so setup needs no native
 * schema engine (which offline machines cannot download) and `prisma migrate status` agrees.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

/** The advisory lock `prisma migrate deploy` takes, so the runner and Prisma exclude each other. */
const PRISMA_MIGRATE_LOCK = 72707369;

// From prisma/ (run with tsx, or imported by tests) and from dist/ (bundled) alike.
const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');

const CREATE_HISTORY = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/** Brings the database at `url` up to date; safe to run from several processes at once. */
export async function migrate(url: string, migrationsDir = MIGRATIONS_DIR): Promise<MigrationReport> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    await client.query(CREATE_HISTORY);
    const done = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const appliedChecksums = new Map(done.rows.map((row) => [row.migration_name, row.checksum]));
    const applied: string[] = [];
    for (const name of migrationNames(migrationsDir)) {
      const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const known = appliedChecksums.get(name);
      if (known !== undefined) {
        if (known !== checksum) throw new Error(`Migration ${name} was changed after it was applied: write a new migration instead.`);
        continue;
      }
      await applyOne(client, name, sql, checksum);
      applied.push(name);
    }
    return { applied, alreadyApplied: appliedChecksums.size };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]).catch(() => undefined);
    await client.end();
  }
}

function migrationNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** One migration in one transaction: it is recorded only if all of it took. */
async function applyOne(client: Client, name: string, sql: string, checksum: string): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)', [id, checksum, name]);
    await client.query(sql);
    await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new Error(`Migration ${name} failed: ${(error as Error).message}`);
  }
}

/** Creates the database named in `url` when it does not exist (the server's `postgres` database is used to ask). */
export async function createDatabaseIfMissing(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/rendezvous';
  createDatabaseIfMissing(url)
    .then(() => migrate(url))
    .then(({ applied, alreadyApplied }) => {
      console.log(applied.length ? `applied ${applied.join(', ')}` : `database up to date (${alreadyApplied} migrations)`);
    })
    .catch((error: Error) => {
      console.error(error.message);
      process.exit(1);
    });
}
