import { writeFileSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * Kysely dialect over one better-sqlite3 connection.
 *
 * Differs from Kysely's bundled SqliteDialect in two ways that matter here:
 * - statements are prepared once and cached by SQL text (hot paths send the same
 *   text every time, so preparation cost disappears);
 * - write transactions start with BEGIN IMMEDIATE, so two processes sharing the file
 *   wait on busy_timeout instead of failing with SQLITE_BUSY on lock upgrade.
 * One connection means queries run one at a time; the mutex orders them.
 */
export class CachedSqliteDialect implements Dialect {
  constructor(private readonly db: BetterSqlite3.Database) {}
  createDriver(): Driver {
    return new CachedSqliteDriver(this.db);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * XIAODIAN_SQL_STATS=<file>: time spent in each SQL text on the embedded engine, written to that
 * file at exit (slowest first). A diagnostic for profiling; off by default and free when off.
 */
const sqlStatsFile = process.env.XIAODIAN_SQL_STATS;
const sqlStats = sqlStatsFile ? new Map<string, { n: number; ns: bigint }>() : null;
function timed<T>(sqlText: string, fn: () => T): T {
  const t0 = process.hrtime.bigint();
  try {
    return fn();
  } finally {
    const s = sqlStats!.get(sqlText) ?? { n: 0, ns: 0n };
    s.n++;
    s.ns += process.hrtime.bigint() - t0;
    sqlStats!.set(sqlText, s);
  }
}
if (sqlStats) {
  process.on('exit', () => {
    const rows = [...sqlStats.entries()].sort((a, b) => Number(b[1].ns - a[1].ns)).slice(0, 40);
    const out = rows.map(([text, s]) => `${(Number(s.ns) / 1e6).toFixed(0).padStart(8)} ms ${String(s.n).padStart(8)}× ${(Number(s.ns) / 1e3 / s.n).toFixed(0).padStart(6)} µs  ${text.replace(/\s+/g, ' ').slice(0, 220)}`);
    writeFileSync(sqlStatsFile!, `${out.join('\n')}\n`);
  });
}

class CachedSqliteConnection implements DatabaseConnection {
  private readonly cache = new Map<string, BetterSqlite3.Statement>();
  constructor(private readonly db: BetterSqlite3.Database) {}

  private statement(sql: string): BetterSqlite3.Statement {
    let stmt = this.cache.get(sql);
    if (stmt) return stmt;
    stmt = this.db.prepare(sql);
    if (this.cache.size >= STATEMENT_CACHE_SIZE) {
      // Evict the oldest entry; Map keeps insertion order.
      const first = this.cache.keys().next().value;
      if (first !== undefined) this.cache.delete(first);
    }
    this.cache.set(sql, stmt);
    return stmt;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (sqlStats) return timed(compiled.sql, () => this.run<R>(compiled));
    return this.run<R>(compiled);
  }

  private run<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.statement(compiled.sql);
    const params = compiled.parameters as unknown[];
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(params) as R[] });
    const { changes, lastInsertRowid } = stmt.run(params);
    return Promise.resolve({
      numAffectedRows: BigInt(changes),
      insertId: lastInsertRowid === undefined ? undefined : BigInt(lastInsertRowid),
      rows: [],
    });
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on the embedded engine');
  }
}

const LOCK_WAIT_MS = 15_000;

/**
 * Queries run one at a time on the single connection. Uncontended acquisition costs no timer;
 * a waiter gives up after LOCK_WAIT_MS with a clear error, because the usual cause is a query
 * issued outside an open transaction from inside that transaction's callback — which would
 * otherwise wait forever.
 */
class Mutex {
  private locked = false;
  private readonly waiters: { grant: () => void }[] = [];

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`embedded database busy for ${LOCK_WAIT_MS} ms: is a query running outside the open transaction (use tx, not db)?`));
      }, LOCK_WAIT_MS);
      timer.unref();
      this.waiters.push(waiter);
    });
  }

  unlock(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.locked = false;
  }
}

class CachedSqliteDriver implements Driver {
  private readonly mutex = new Mutex();
  private readonly connection: CachedSqliteConnection;
  constructor(private readonly db: BetterSqlite3.Database) {
    this.connection = new CachedSqliteConnection(db);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }
  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }
  async destroy(): Promise<void> {
    this.db.close();
  }
}
