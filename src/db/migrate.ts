import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Migrator, type Migration, type MigrationProvider, type Kysely } from 'kysely';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Forward-only, versioned migrations: every file in src/db/migrations named
 * `YYYY_MM_DD_NNNN_<module>_<what>.ts` exporting `up`. Files are frozen once merged;
 * a change is a new file. There is deliberately no `down`.
 */
class FolderProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}_\d{2}_\d{2}_\d{4}_.+\.ts$/.test(f) && !f.endsWith('.test.ts'));
    for (const f of files.sort()) {
      const mod = (await import(pathToFileURL(join(MIGRATIONS_DIR, f)).href)) as Migration;
      if (typeof mod.up !== 'function') throw new Error(`migration ${f} exports no up()`);
      out[f.replace(/\.ts$/, '')] = { up: mod.up };
    }
    return out;
  }
}

export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<string[]> {
  // With a schema, Kysely looks for its bookkeeping tables there, not in any schema on the server.
  const migrator = new Migrator({
    db,
    provider: new FolderProvider(),
    migrationTableName: 'xd_migrations',
    migrationLockTableName: 'xd_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest().catch((err: unknown) => ({ error: err, results: undefined }));
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (attempt < 5 && otherSchemaVanished(error, schema)) {
      await new Promise((r) => setTimeout(r, 50 * attempt));
      continue;
    }
    throw error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Kysely's migrator introspects the tables of every schema on a PostgreSQL server; a schema
 * dropped by someone else during that scan (another deployment on the same server, a test
 * suite's schema per file) fails the scan with "schema … does not exist". Nothing was migrated
 * then (each migration runs in its own transaction, after the scan), so the scan is retried.
 */
function otherSchemaVanished(error: unknown, ours: string | undefined): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '3F000' && /schema ".*" does not exist/.test(e.message ?? '') && !(ours && e.message?.includes(`"${ours}"`));
}
