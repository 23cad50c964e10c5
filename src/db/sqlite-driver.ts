import { writeFileSync } from 'node:fs';
import type { CommitSync } from './wal-sync.ts';
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
 *
 * Given a WalSync (src/db/wal-sync.ts), a committed write is acknowledged only after the WAL is
 * synced, off the event loop; the connection is handed to the next caller as soon as COMMIT
 * returns, so the next transaction runs while the fsync is in flight.
 */
export class CachedSqliteDialect implements Dialect {
  private driver: CachedSqliteDriver | null = null;
  constructor(private readonly db: BetterSqlite3.Database, private readonly walSync: CommitSync | null = null) {}
  createDriver(): Driver {
    return (this.driver = new CachedSqliteDriver(this.db, this.walSync));
  }
  /**
   * A read outside any transaction, run at once when the connection is free: the rows, or
   * undefined when the connection is busy or the statement can write (then go through Kysely).
   * Saves Kysely's acquire/release round of promises (~3 µs of a ~6 µs point read).
   */
  readNow(sqlText: string, params: readonly unknown[]): unknown[] | undefined {
    return this.driver?.readNow(sqlText, params);
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
 * file (slowest first) at exit, and on SIGUSR2, which then starts the count again — so a bench
 * can take the figures of one measured run. A diagnostic for profiling; off by default and free
 * when off.
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
  const dump = () => {
    const rows = [...sqlStats.entries()].sort((a, b) => Number(b[1].ns - a[1].ns));
    // ns and count first, then the whole text on one line: easy to read and to parse.
    const out = rows.map(([text, s]) => `${String(s.ns).padStart(14)} ns ${String(s.n).padStart(8)}× ${(Number(s.ns) / 1e3 / s.n).toFixed(1).padStart(8)} µs  ${text.replace(/\s+/g, ' ')}`);
    writeFileSync(sqlStatsFile!, `${out.join('\n')}\n`);
  };
  process.on('exit', dump);
  process.on('SIGUSR2', () => {
    dump();
    sqlStats.clear();
  });
}

/** The one connection: runs statements, prepared once per SQL text. */
class CachedSqliteConnection {
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

  /** Runs one statement now; `wrote` says whether it can have changed the database. */
  execute<R>(compiled: CompiledQuery): QueryResult<R> & { wrote: boolean } {
    if (sqlStats) return timed(compiled.sql, () => this.run<R>(compiled));
    return this.run<R>(compiled);
  }

  /** The rows of a read-only statement, or undefined if the statement can write. */
  readOnly(sqlText: string, params: readonly unknown[]): unknown[] | undefined {
    const stmt = this.statement(sqlText);
    if (!stmt.readonly || !stmt.reader) return undefined;
    if (sqlStats) return timed(sqlText, () => stmt.all(params as unknown[]));
    return stmt.all(params as unknown[]);
  }

  /** Whether the connection is inside an open transaction. */
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  private run<R>(compiled: CompiledQuery): QueryResult<R> & { wrote: boolean } {
    const stmt = this.statement(compiled.sql);
    const params = compiled.parameters as unknown[];
    // `readonly` (sqlite3_stmt_readonly), not `reader`: an UPDATE … RETURNING reads rows and writes.
    if (stmt.reader) return { rows: stmt.all(params) as R[], wrote: !stmt.readonly };
    const { changes, lastInsertRowid } = stmt.run(params);
    return {
      numAffectedRows: BigInt(changes),
      insertId: lastInsertRowid === undefined ? undefined : BigInt(lastInsertRowid),
      rows: [],
      wrote: !stmt.readonly,
    };
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

  /** Takes the lock if it is free now (no waiting, and never ahead of a waiter). */
  tryLock(): boolean {
    if (this.locked) return false;
    this.locked = true;
    return true;
  }

  unlock(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.locked = false;
  }
}

/**
 * One acquisition of the connection. The driver hands out a fresh lease each time, so a lease
 * given back early (a committed write waiting for its fsync) can never release, or roll back,
 * a later holder's use of the shared connection.
 */
class Lease implements DatabaseConnection {
  released = false;
  /** A statement that can change the database ran since BEGIN. */
  wrote = false;
  constructor(private readonly conn: CachedSqliteConnection, private readonly driver: CachedSqliteDriver) {}

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = this.conn.execute<R>(compiled);
    if (!result.wrote) return Promise.resolve(result);
    if (this.conn.inTransaction) {
      this.wrote = true;
      return Promise.resolve(result);
    }
    // An autocommit write (outside any transaction) is committed now: durable before it returns.
    return this.driver.durable(this).then(() => result);
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on the embedded engine');
  }
}

class CachedSqliteDriver implements Driver {
  private readonly mutex = new Mutex();
  private readonly connection: CachedSqliteConnection;
  constructor(private readonly db: BetterSqlite3.Database, private readonly walSync: CommitSync | null) {
    this.connection = new CachedSqliteConnection(db);
  }
  async init(): Promise<void> {}
  readNow(sqlText: string, params: readonly unknown[]): unknown[] | undefined {
    if (!this.mutex.tryLock()) return undefined;
    try {
      return this.connection.readOnly(sqlText, params);
    } finally {
      this.mutex.unlock();
    }
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return new Lease(this.connection, this);
  }
  async beginTransaction(c: DatabaseConnection): Promise<void> {
    this.connection.execute(CompiledQuery.raw('begin immediate'));
    (c as Lease).wrote = false;
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    const lease = c as Lease;
    this.connection.execute(CompiledQuery.raw('commit'));
    if (lease.wrote) await this.durable(lease);
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    // A lease given back early has committed; its fsync failed. The connection may already be
    // another caller's: there is nothing of this transaction left to roll back.
    if ((c as Lease).released) return;
    this.connection.execute(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(c: DatabaseConnection): Promise<void> {
    this.release(c as Lease);
  }
  async destroy(): Promise<void> {
    this.db.close();
    this.walSync?.close();
  }

  /**
   * After a commit: give the connection to the next caller at once, and resolve when the commit
   * is on disk. Without a WalSync, SQLite's own synchronous setting decides.
   */
  durable(lease: Lease): Promise<void> {
    if (!this.walSync) return Promise.resolve();
    this.release(lease);
    return this.walSync.sync();
  }

  private release(lease: Lease): void {
    if (lease.released) return;
    lease.released = true;
    this.mutex.unlock();
  }
}
