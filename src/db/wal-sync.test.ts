import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { createDb } from './index.ts';
import { CachedSqliteDialect } from './sqlite-driver.ts';
import { WalSync, type CommitSync } from './wal-sync.ts';

const dir = mkdtempSync(join(tmpdir(), 'xd-walsync-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A commit sync the test releases by hand: shows exactly what waits for the disk. */
class HeldSync implements CommitSync {
  pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  sync(): Promise<void> {
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  releaseAll(): void {
    for (const p of this.pending.splice(0)) p.resolve();
  }
  failAll(e: Error): void {
    for (const p of this.pending.splice(0)) p.reject(e);
  }
  close(): void {}
}

function open(sync: CommitSync | null) {
  const raw = new BetterSqlite3(join(dir, `t${++n}.db`));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec('create table t (id integer primary key, v text)');
  return new Kysely<any>({ dialect: new CachedSqliteDialect(raw, sync) });
}

const tick = () => new Promise((r) => setImmediate(r));

test('a committed write is answered only after its sync; the connection serves the next transaction meanwhile', async () => {
  const held = new HeldSync();
  const k = open(held);
  let firstDone = false;
  const first = k.transaction().execute((tx) => tx.insertInto('t').values({ id: 1, v: 'a' }).execute()).then(() => { firstDone = true; });
  await tick();
  assert.equal(firstDone, false, 'not acknowledged before the WAL is synced');
  assert.equal(held.pending.length, 1);
  // The connection was handed on at COMMIT: another transaction runs (and sees the commit) now.
  const seen = await k.transaction().execute((tx) => tx.selectFrom('t').select('v').where('id', '=', 1).executeTakeFirst());
  assert.equal(seen?.v, 'a');
  held.releaseAll();
  await first;
  assert.equal(firstDone, true);
  await k.destroy();
});

test('read-only transactions and reads do not wait for a sync; writes outside a transaction and UPDATE … RETURNING do', async () => {
  const held = new HeldSync();
  const k = open(held);
  await k.transaction().execute((tx) => tx.selectFrom('t').selectAll().execute());
  await k.selectFrom('t').selectAll().execute();
  assert.equal(held.pending.length, 0);

  let autocommitDone = false;
  const autocommit = k.insertInto('t').values({ id: 2, v: 'b' }).execute().then(() => { autocommitDone = true; });
  await tick();
  assert.equal(autocommitDone, false);
  assert.equal(held.pending.length, 1);
  held.releaseAll();
  await autocommit;

  // A transaction whose only write is an UPDATE … RETURNING (a statement that also reads rows).
  let returningDone = false;
  const returning = k.transaction().execute((tx) => sql`update t set v = 'c' where id = 2 returning v`.execute(tx)).then(() => { returningDone = true; });
  await tick();
  assert.equal(returningDone, false);
  assert.equal(held.pending.length, 1);
  held.releaseAll();
  await returning;
  await k.destroy();
});

test('a failed sync fails its caller without rolling back the transaction that holds the connection by then', async () => {
  const held = new HeldSync();
  const k = open(held);
  const doomed = k.transaction().execute((tx) => tx.insertInto('t').values({ id: 3, v: 'x' }).execute());
  await tick();
  assert.equal(held.pending.length, 1);
  // Another transaction takes the connection and is mid-way when the first one's sync fails.
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const other = k.transaction().execute(async (tx) => {
    await tx.insertInto('t').values({ id: 4, v: 'y' }).execute();
    await gate;
    await tx.insertInto('t').values({ id: 5, v: 'z' }).execute();
  });
  await tick();
  held.failAll(new Error('EIO'));
  await assert.rejects(doomed, /EIO/);
  release();
  await tick();
  held.releaseAll();
  await other;
  const rows = await k.selectFrom('t').select('id').orderBy('id').execute();
  assert.deepEqual(rows.map((r) => r.id), [3, 4, 5], 'the other transaction kept both its writes');
  await k.destroy();
});

test('the default embedded configuration commits concurrent transactions durably through WalSync', async () => {
  const db = await createDb({ url: join(dir, 'real.db') });
  await db.kysely.schema.createTable('t').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
  await Promise.all(Array.from({ length: 40 }, (_, i) => db.transaction((tx) => tx.insertInto('t').values({ id: i }).execute())));
  const rows = await db.kysely.selectFrom('t').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(rows.n), 40);
  const mode = await sql<{ synchronous: number }>`pragma synchronous`.execute(db.kysely);
  assert.equal(mode.rows[0].synchronous, 1, 'SQLite itself runs NORMAL: the fsync is WalSync\'s');
  await db.close();
});

test('WalSync: a sync that fails is final — every later one is refused too', async () => {
  const wal = new WalSync(join(dir, 'no-such-db-wal'));
  await assert.rejects(wal.sync(), /could not be synced/);
  await assert.rejects(wal.sync(), /writes are refused until the process restarts/);
});

test('WalSync: concurrent commits share fsyncs', async () => {
  const path = join(dir, 'share.db');
  const raw = new BetterSqlite3(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec('create table t (id integer primary key)');
  const wal = new WalSync(`${path}-wal`);
  const k = new Kysely<any>({ dialect: new CachedSqliteDialect(raw, wal) });
  await Promise.all(Array.from({ length: 100 }, (_, i) => k.transaction().execute((tx) => tx.insertInto('t').values({ id: i }).execute())));
  assert.equal(wal.stats.commits, 100);
  assert.ok(wal.stats.syncs >= 2 && wal.stats.syncs < 100, `100 concurrent commits took ${wal.stats.syncs} fsyncs`);
  await k.destroy();
});
