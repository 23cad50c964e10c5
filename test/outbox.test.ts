import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createDb, type Db } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { Outbox, type DomainEvent } from '../src/db/outbox.ts';
import { TestClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { freshDatabase, type TestDatabase } from './support/engine.ts';

let database: TestDatabase;
let db: Db;
before(async () => {
  database = freshDatabase();
  db = await createDb({ url: database.url, schema: database.schema });
  await migrateToLatest(db.kysely, db.schema);
});
after(async () => {
  await db.close();
  await database.drop();
});

describe('transactional outbox', () => {
  test('an event written in a rolled-back transaction is never delivered', async () => {
    const clock = new TestClock();
    const outbox = new Outbox(db, clock, silentLogger);
    const got: string[] = [];
    outbox.subscribe('rollback-test', ['thing.happened'], async (e) => void got.push(e.aggregate_id));
    await assert.rejects(
      db.transaction(async (tx) => {
        await outbox.emit(tx, 'thing.happened', 'agg_rolled_back', {});
        throw new Error('business failure after the write');
      }),
    );
    await db.transaction((tx) => outbox.emit(tx, 'thing.happened', 'agg_committed', {}));
    await outbox.drain();
    assert.deepEqual(got, ['agg_committed']);
  });

  test('each subscriber gets each event; a failing subscriber is retried alone with backoff', async () => {
    const clock = new TestClock();
    const outbox = new Outbox(db, clock, silentLogger);
    const a: string[] = [];
    const b: string[] = [];
    let failB = true;
    outbox.subscribe('sub-a', ['retry.test'], async (e) => void a.push(e.id));
    outbox.subscribe('sub-b', ['retry.test'], async (e) => {
      if (failB) throw new Error('index unavailable');
      b.push(e.id);
    });
    const id = await db.transaction((tx) => outbox.emit(tx, 'retry.test', 'agg_1', { x: 1 }));
    await outbox.drain();
    assert.deepEqual(a, [id]);
    assert.deepEqual(b, []);
    failB = false;
    await outbox.drain(); // not due yet: backoff
    assert.deepEqual(b, []);
    clock.advance(5_000);
    await outbox.drain();
    assert.deepEqual(b, [id]);
    assert.deepEqual(a, [id], 'the subscriber that succeeded is not called again');
    assert.equal(await outbox.pending(), 0);
  });

  test('an effect a handler returns runs once its delivery has committed, never inside its transaction', async () => {
    const clock = new TestClock();
    const order: string[] = [];
    const spy: Db = { ...db, transaction: async (fn, outer) => { const r = await db.transaction(fn, outer); order.push('committed'); return r; } };
    const outbox = new Outbox(spy, clock, silentLogger);
    outbox.subscribe('effects', ['effect.test'], async () => () => void order.push('effect'));
    await db.transaction((tx) => outbox.emit(tx, 'effect.test', 'agg', {}));
    await outbox.dispatchBatch();
    assert.deepEqual(order.slice(0, 2), ['committed', 'effect']);
  });

  test('a handler that writes to the database commits together with its delivery record', async () => {
    const clock = new TestClock();
    const outbox = new Outbox(db, clock, silentLogger);
    await db.kysely.schema.createTable('test_projection').ifNotExists().addColumn('event_id', 'text', (c) => c.primaryKey()).execute();
    let crashAfterWrite = true;
    outbox.subscribe('projector', ['proj.test'], async (e: DomainEvent, tx) => {
      await tx.insertInto('test_projection').values({ event_id: e.id }).execute();
      if (crashAfterWrite) throw new Error('failure after the write');
    });
    await db.transaction((tx) => outbox.emit(tx, 'proj.test', 'agg', {}));
    await outbox.drain();
    assert.equal((await db.kysely.selectFrom('test_projection').selectAll().execute()).length, 0, 'the write rolled back with the failure');
    crashAfterWrite = false;
    clock.advance(10_000);
    await outbox.drain();
    assert.equal((await db.kysely.selectFrom('test_projection').selectAll().execute()).length, 1);
  });

  test('events survive a process killed mid-dispatch and are delivered by the next process', async () => {
    const clockStart = Date.UTC(2026, 10, 11, 1, 0, 0);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/outbox-crash-child.ts'], {
      env: { ...process.env, CHILD_DB_URL: database.url, CHILD_DB_SCHEMA: database.schema ?? '', CHILD_CLOCK_MS: String(clockStart) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    assert.equal(signal, 'SIGKILL');
    assert.match(out, /emitted/);

    const clock = new TestClock(clockStart + 1_000);
    const outbox = new Outbox(db, clock, silentLogger);
    const delivered: number[] = [];
    outbox.subscribe('crashy', ['order.paid'], async (e) => void delivered.push(e.payload.n as number));
    // The dead process's batch committed nothing: every event is delivered, each once — on
    // PostgreSQL as soon as the server has noticed the dead session and released its row locks.
    const deadline = Date.now() + 10_000;
    do await outbox.drain();
    while (delivered.length < 3 && Date.now() < deadline && (await new Promise((r) => setTimeout(r, 50)), true));
    assert.deepEqual(delivered.sort(), [1, 2, 3]);
    await outbox.drain();
    assert.deepEqual(delivered.sort(), [1, 2, 3]);
    assert.equal(await outbox.pending(), 0);
  });
});
