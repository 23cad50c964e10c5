import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Engine } from '../../src/db/index.ts';

/**
 * Which engine this test process runs on: scripts/test.ts runs the suite once per engine
 * with XIAODIAN_TEST_ENGINE set. Every test file gets its own fresh database — a temp
 * SQLite file, or its own PostgreSQL schema — so tests never leak into each other.
 */
export const TEST_ENGINE: Engine = process.env.XIAODIAN_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
export const TEST_PG_URL = process.env.XIAODIAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  schema?: string;
  drop(): Promise<void>;
}

export function freshDatabase(): TestDatabase {
  const tag = `${process.pid}_${randomBytes(4).toString('hex')}`;
  if (TEST_ENGINE === 'postgres') {
    const schema = `t_${tag}`;
    return {
      url: TEST_PG_URL,
      schema,
      async drop() {
        const c = new pg.Client({ connectionString: TEST_PG_URL });
        await c.connect();
        await c.query(`drop schema if exists ${schema} cascade`);
        await c.end();
      },
    };
  }
  const file = join(tmpdir(), `xiaodian-test-${tag}.db`);
  return {
    url: file,
    async drop() {
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    },
  };
}
