/**
 * A fresh database per server: a temp SQLite file, or a new PostgreSQL database (the server
 * takes only DATABASE_URL, so a schema per run is not an option). Both are removed after.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { EngineInfo, EngineName, SkippedEngine } from './types.ts';

export const DEFAULT_PG_URL = 'postgres://127.0.0.1:5432/test';
/** Reads never fsync, so this only matters for write scenarios; FULL is the server's default. */
const requestedSync = process.env.XIAODIAN_SQLITE_SYNCHRONOUS?.toUpperCase();
export const SQLITE_SYNCHRONOUS = requestedSync === 'NORMAL' || requestedSync === 'FULL_INLINE' ? requestedSync : 'FULL';
const SYNC_DESCRIPTION = {
  FULL: 'every commit durable before its answer (WAL fdatasync off the event loop)',
  FULL_INLINE: 'synchronous=FULL (SQLite fsyncs inside COMMIT, on the event loop)',
  NORMAL: 'synchronous=NORMAL (no fsync per commit: NOT durable)',
}[SQLITE_SYNCHRONOUS];

export interface Provisioned {
  env: Record<string, string>;
  /** Set for PostgreSQL: the database created for this server. */
  pgDatabase?: string;
  drop(): Promise<void>;
}

export interface EngineProvider {
  info: EngineInfo;
  provision(): Promise<Provisioned>;
}

function tag(): string {
  const d = new Date();
  const stamp = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}_${randomBytes(3).toString('hex')}`;
}

function sqliteProvider(): EngineProvider {
  const mem = new BetterSqlite3(':memory:');
  const version = (mem.prepare('select sqlite_version() as v').get() as { v: string }).v;
  mem.close();
  return {
    info: { name: 'sqlite', description: `SQLite ${version} (better-sqlite3, one connection), WAL, ${SYNC_DESCRIPTION}, temp file` },
    async provision() {
      const file = join(tmpdir(), `xd-bench-${tag()}.db`);
      return {
        env: { DATABASE_URL: file, XIAODIAN_SQLITE_SYNCHRONOUS: SQLITE_SYNCHRONOUS },
        async drop() {
          for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
        },
      };
    },
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function postgresProvider(url: string): Promise<EngineProvider> {
  // Reachable means: the configured database answers, and the maintenance database on the
  // same server lets us create and drop a database.
  const version = await withClient(url, async (c) => (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v);
  const admin = withDatabase(url, 'postgres');
  await withClient(admin, (c) => c.query('select 1'));
  return {
    info: { name: 'postgres', description: `PostgreSQL ${version.split(' ')[0]} at ${new URL(url).host} via pg (pool of 16), a fresh database per server` },
    async provision() {
      const name = `xd_bench_${tag()}`;
      await withClient(admin, (c) => c.query(`create database ${name}`));
      return {
        env: { DATABASE_URL: withDatabase(url, name) },
        pgDatabase: name,
        async drop() {
          await withClient(admin, async (c) => {
            try {
              await c.query(`drop database if exists ${name} with (force)`);
            } catch {
              await c.query(`drop database if exists ${name}`); // before PostgreSQL 13
            }
          });
        },
      };
    },
  };
}

/**
 * libpq (psql) signs in as the OS user when the URL names none; node-postgres uses $USER,
 * which is unset in some shells and containers. Name the user explicitly, the libpq way,
 * so the bench and the server under test (which gets this URL) connect as psql would.
 */
export function withDefaultUser(url: string): string {
  const u = new URL(url);
  if (!u.username) u.username = process.env.PGUSER || process.env.USER || userInfo().username;
  return u.toString();
}

/** The engines to run, in order, and the ones asked for but not available (with why). */
export async function resolveEngines(wanted: readonly EngineName[], pgUrl: string): Promise<{ providers: EngineProvider[]; skipped: SkippedEngine[] }> {
  const providers: EngineProvider[] = [];
  const skipped: SkippedEngine[] = [];
  for (const name of wanted) {
    if (name === 'sqlite') {
      providers.push(sqliteProvider());
      continue;
    }
    try {
      providers.push(await postgresProvider(withDefaultUser(pgUrl)));
    } catch (err) {
      skipped.push({ name, reason: `not reachable at ${redact(pgUrl)} (${(err as Error).message})` });
    }
  }
  return { providers, skipped };
}

/** A URL fit for printing: no password. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
