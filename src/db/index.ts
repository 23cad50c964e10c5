import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, type Transaction } from 'kysely';
import { CachedSqliteDialect } from './sqlite-driver.ts';
import { WalSync } from './wal-sync.ts';

export type Engine = 'sqlite' | 'postgres';
export type SqliteSynchronous = 'FULL' | 'FULL_INLINE' | 'NORMAL';

/** Anything that can run a query: the database or an open transaction. */
export type Executor = Kysely<any>;

export interface DbConfig {
  /** `postgres://…` for PostgreSQL; a file path (or `:memory:`) for the embedded engine. */
  url: string;
  /** PostgreSQL schema to use (created if missing); tests give each file its own. */
  schema?: string;
  /**
   * Embedded engine: every acknowledged write on disk (FULL, the default: the WAL is fsynced off
   * the event loop, src/db/wal-sync.ts), the same with SQLite's own fsync inside COMMIT on the
   * event loop (FULL_INLINE, for comparison), or fsync only at checkpoints (NORMAL).
   */
  sqliteSynchronous?: SqliteSynchronous;
  poolSize?: number;
}

export interface Db {
  readonly engine: Engine;
  /** PostgreSQL schema in use, when not the default (tests). */
  readonly schema?: string;
  readonly kysely: Kysely<any>;
  /** Runs fn in a transaction; inside an existing transaction, reuses it. */
  transaction<T>(fn: (tx: Executor) => Promise<T>, outer?: Executor): Promise<T>;
  /**
   * A statement written once as SQL with `?` placeholders, for hot paths where building
   * a query per call costs more than running it. Same text on both engines.
   */
  prepared<R = Record<string, unknown>>(sqlText: string): Prepared<R>;
  close(): Promise<void>;
}

export interface Prepared<R> {
  all(ex: Executor, params: readonly unknown[]): Promise<R[]>;
  first(ex: Executor, params: readonly unknown[]): Promise<R | undefined>;
  run(ex: Executor, params: readonly unknown[]): Promise<number>; // affected rows
}

let pgParsersSet = false;
function setPgTypeParsers(): void {
  if (pgParsersSet) return;
  pgParsersSet = true;
  // int8 (counts, epoch ms, fen) as JS numbers, like SQLite returns them. Values beyond
  // 2^53 would be a bug anywhere in this system, so fail loudly rather than round.
  pg.types.setTypeParser(20, (v: string) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${v} exceeds the safe integer range`);
    return n;
  });
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export async function createDb(config: DbConfig): Promise<Db> {
  if (isPostgresUrl(config.url)) return createPostgres(config);
  return createSqlite(config);
}

function createSqlite(config: DbConfig): Db {
  if (config.url !== ':memory:') mkdirSync(dirname(config.url), { recursive: true });
  const raw = new BetterSqlite3(config.url);
  raw.pragma('journal_mode = WAL');
  const mode = config.sqliteSynchronous ?? 'FULL';
  // An in-memory database has nothing to sync.
  const walSync = mode === 'FULL' && config.url !== ':memory:' ? new WalSync(`${config.url}-wal`) : null;
  raw.pragma(`synchronous = ${mode === 'FULL_INLINE' || (mode === 'FULL' && !walSync) ? 'FULL' : 'NORMAL'}`);
  raw.pragma('busy_timeout = 10000');
  raw.pragma('foreign_keys = ON');
  // The working set of a busy shop (stock rows, recent orders, their indexes) stays in memory:
  // a 64 MiB page cache instead of the 2 MiB default, and reads through a memory map.
  raw.pragma('cache_size = -65536');
  raw.pragma('mmap_size = 268435456');
  raw.pragma('temp_store = MEMORY');
  const dialect = new CachedSqliteDialect(raw, walSync);
  const kysely = new Kysely<any>({ dialect });
  return makeDb('sqlite', kysely, (s) => s, undefined, (sqlText, params) => dialect.readNow(sqlText, params));
}

async function createPostgres(config: DbConfig): Promise<Db> {
  setPgTypeParsers();
  const schema = config.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: config.url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 16,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const named = nameStatements(pool);
  const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return makeDb('postgres', kysely, toDollarParams, schema, undefined, named);
}

/**
 * Named prepared statements on PostgreSQL for the SQL written once with `db.prepared`: each
 * connection parses and plans such a text once and then only binds and executes it (an unnamed
 * statement is parsed and planned on every call — most of PostgreSQL's CPU on the checkout
 * path). Kysely's connection calls `client.query(text, values)`; a registered text goes out as
 * `{ name, text, values }` instead. Returns the registration function.
 */
function nameStatements(pool: pg.Pool): (text: string) => void {
  const names = new Map<string, string>();
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
      const name = typeof config === 'string' && Array.isArray(values) ? names.get(config) : undefined;
      return name ? query({ name, text: config, values }, callback) : query(config, values, callback);
    };
  });
  return (text) => {
    if (!names.has(text)) names.set(text, `xd_${names.size.toString(36)}`);
  };
}

function toDollarParams(sqlText: string): string {
  let i = 0;
  return sqlText.replace(/\?/g, () => `$${++i}`);
}

/**
 * `readNow`: the embedded engine's shortcut for a prepared read outside a transaction (rows, or
 * undefined to take the ordinary path). `nameStatement`: PostgreSQL's registration of a prepared
 * text as a named statement.
 */
function makeDb(
  engine: Engine, kysely: Kysely<any>, translate: (s: string) => string, schema?: string,
  readNow?: (sqlText: string, params: readonly unknown[]) => unknown[] | undefined,
  nameStatement?: (text: string) => void,
): Db {
  return {
    engine,
    schema,
    kysely,
    transaction(fn, outer) {
      if (outer && (outer as Transaction<any>).isTransaction) return fn(outer);
      return kysely.transaction().execute(fn);
    },
    prepared<R>(sqlText: string): Prepared<R> {
      const text = translate(sqlText);
      nameStatement?.(text);
      const exec = async (ex: Executor, params: readonly unknown[]): Promise<{ rows: R[]; numAffectedRows?: bigint }> => {
        if (readNow && ex === kysely) {
          const rows = readNow(text, params);
          if (rows) return { rows: rows as R[] };
        }
        return ex.executeQuery<R>(CompiledQuery.raw(text, params as unknown[]));
      };
      return {
        all: async (ex, params) => (await exec(ex, params)).rows,
        first: async (ex, params) => (await exec(ex, params)).rows[0],
        run: async (ex, params) => Number((await exec(ex, params)).numAffectedRows ?? 0n),
      };
    },
    close: () => kysely.destroy(),
  };
}

/**
 * A prepared statement with an `in (?*)` list: `?*` becomes as many placeholders as there are
 * ids (one cached statement per list length; long lists go in chunks of 100). Parameters
 * before the list go in `before`, after it in `after`.
 *
 *   const byIds = preparedIn<Row>(db, 'select id, status from stores_stores where id in (?*)');
 *   const rows = await byIds(ex, ids);
 */
export function preparedIn<R>(db: Db, sqlText: string): (ex: Executor, ids: readonly unknown[], before?: readonly unknown[], after?: readonly unknown[]) => Promise<R[]> {
  if (!sqlText.includes('?*')) throw new Error('preparedIn needs an `in (?*)` list');
  const byLength = new Map<number, Prepared<R>>();
  const stmt = (n: number) => {
    let st = byLength.get(n);
    if (!st) byLength.set(n, (st = db.prepared<R>(sqlText.replace('?*', Array(n).fill('?').join(', ')))));
    return st;
  };
  return async (ex, ids, before = [], after = []) => {
    if (ids.length === 0) return [];
    if (ids.length <= 100) return stmt(ids.length).all(ex, [...before, ...ids, ...after]);
    const out: R[] = [];
    for (let i = 0; i < ids.length; i += 100) out.push(...(await stmt(Math.min(100, ids.length - i)).all(ex, [...before, ...ids.slice(i, i + 100), ...after])));
    return out;
  };
}

/** Typed view of the shared connection for one module's own tables. */
export function tables<T>(ex: Executor): Kysely<T> {
  return ex as unknown as Kysely<T>;
}

/** Rows changed by an update/delete result from Kysely. */
export function affected(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | readonly { numUpdatedRows?: bigint; numDeletedRows?: bigint }[]): number {
  const r = Array.isArray(result) ? result[0] : result;
  return Number(r?.numUpdatedRows ?? r?.numDeletedRows ?? 0n);
}

/** Unique-constraint violation on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
