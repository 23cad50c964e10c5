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
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
