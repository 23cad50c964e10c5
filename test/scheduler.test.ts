import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createDb, type Db } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { Scheduler } from '../src/db/scheduler.ts';
import { MINUTE_MS, TestClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { freshDatabase, type TestDatabase } from './support/engine.ts';

let database: TestDatabase;
let db1: Db;
before(async () => {
  database = freshDatabase();
  db1 = await createDb({ url: database.url, schema: database.schema });
  await migrateToLatest(db1.kysely, db1.schema);
  await db1.kysely.schema.createTable('test_job_runs').addColumn('job_id', 'text').addColumn('worker', 'text').execute();
});
after(async () => {
  await db1.close();
  await database.drop();
});

describe('durable scheduler', () => {
  test('two worker processes on the same database run each due job exactly once', async () => {
    const clock = new TestClock();
    const s = new Scheduler(db1, clock, silentLogger);
    const ids: string[] = [];
    await db1.transaction(async (tx) => {
      for (let i = 0; i < 120; i++) ids.push(await s.schedule(tx, { kind: 'test.once', run_at: clock.now() + (i % 3) * MINUTE_MS, payload: { i } }));
    });
    const runWorker = (id: string) =>
      new Promise<{ worker: string; completed: number }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/scheduler-worker-child.ts'], {
          env: { ...process.env, CHILD_DB_URL: database.url, CHILD_DB_SCHEMA: database.schema ?? '', CHILD_CLOCK_MS: String(clock.now() + 5 * MINUTE_MS), CHILD_WORKER_ID: id },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`worker ${id} exited ${code}`))));
      });
    const results = await Promise.all([runWorker('w1'), runWorker('w2')]);
    const runs = await db1.kysely.selectFrom('test_job_runs').selectAll().where('job_id', 'in', ids).execute();
    assert.equal(runs.length, 120, 'every job ran');
    assert.equal(new Set(runs.map((r) => r.job_id)).size, 120, 'no job ran twice');
    assert.equal(results[0].completed + results[1].completed, 120);
  });

  test('a job does not run before it is due; the clock decides', async () => {
    const clock = new TestClock();
    const s = new Scheduler(db1, clock, silentLogger);
    let ran = 0;
    s.register('test.later', async () => void ran++);
    await s.schedule(db1.kysely, { kind: 'test.later', run_at: clock.now() + 15 * MINUTE_MS });
    await s.runDue();
    assert.equal(ran, 0);
    clock.advance(15 * MINUTE_MS);
    await s.runDue();
    assert.equal(ran, 1);
    await s.runDue();
    assert.equal(ran, 1);
  });

  test('an effect a job returns runs after the job has committed, never inside its transaction', async () => {
    const clock = new TestClock();
    const order: string[] = [];
    // The scheduler's database, noting when each of its transactions has committed.
    const spy: Db = { ...db1, transaction: async (fn, outer) => { const r = await db1.transaction(fn, outer); order.push('committed'); return r; } };
    const s = new Scheduler(spy, clock, silentLogger);
    s.register('test.effect', async () => () => void order.push('effect'));
    await s.schedule(db1.kysely, { kind: 'test.effect', run_at: clock.now() });
    await s.runDue();
    assert.deepEqual(order, ['committed', 'effect']);
  });

  test('a dedupe key schedules once, and a pending job can be cancelled', async () => {
    const clock = new TestClock();
    const s = new Scheduler(db1, clock, silentLogger);
    let ran = 0;
    s.register('test.cancel', async () => void ran++);
    const a = await s.schedule(db1.kysely, { kind: 'test.cancel', run_at: clock.now() + 1000, dedupe_key: 'order:ord_1:auto_cancel' });
    const b = await s.schedule(db1.kysely, { kind: 'test.cancel', run_at: clock.now() + 1000, dedupe_key: 'order:ord_1:auto_cancel' });
    assert.equal(a, b);
    assert.equal(await s.cancel(db1.kysely, 'order:ord_1:auto_cancel'), true);
    clock.advance(2000);
    await s.runDue();
    assert.equal(ran, 0);
  });

  test('a failing job is retried later and its partial writes are rolled back', async () => {
    const clock = new TestClock();
    const s = new Scheduler(db1, clock, silentLogger);
    let attempts = 0;
    s.register('test.flaky', async (job, tx) => {
      attempts++;
      await tx.insertInto('test_job_runs').values({ job_id: job.id, worker: 'flaky' }).execute();
      if (attempts === 1) throw new Error('carrier API down');
    });
    const id = await s.schedule(db1.kysely, { kind: 'test.flaky', run_at: clock.now() });
    await s.runDue();
    assert.equal(attempts, 1);
    clock.advance(4_000);
    await s.runDue(); // backoff not over
    assert.equal(attempts, 1);
    clock.advance(10_000);
    await s.runDue();
    assert.equal(attempts, 2);
    const runs = await db1.kysely.selectFrom('test_job_runs').selectAll().where('job_id', '=', id).execute();
    assert.equal(runs.length, 1, 'only the successful attempt left a row');
  });

  test("a crashed worker's job is taken over when its lease expires", async () => {
    const clock = new TestClock();
    const s = new Scheduler(db1, clock, silentLogger, 'survivor');
    let ran = 0;
    s.register('test.lease', async () => void ran++);
    const id = await s.schedule(db1.kysely, { kind: 'test.lease', run_at: clock.now() });
    // simulate a worker that claimed the job and died
    await db1.kysely.updateTable('scheduler_jobs').set({ locked_by: 'dead', locked_until: clock.now() + 60_000, attempts: 1 }).where('id', '=', id).execute();
    await s.runDue();
    assert.equal(ran, 0);
    clock.advance(61_000);
    await s.runDue();
    assert.equal(ran, 1);
  });
});

describe('cancelling from inside a running job', () => {
  test('a job whose handler cancels its own dedupe key still completes', async () => {
    const clock = new TestClock();
    const s = new Scheduler(db1, clock, silentLogger);
    let ran = 0;
    s.register('test.self_cancel', async (_job, tx) => {
      ran++;
      await tx.insertInto('test_job_runs').values({ job_id: 'self', worker: 'x' }).execute();
      await s.cancel(tx, 'self-cancel-key');
    });
    await s.schedule(db1.kysely, { kind: 'test.self_cancel', run_at: clock.now(), dedupe_key: 'self-cancel-key' });
    assert.equal(await s.runDue(), 1);
    assert.equal(ran, 1);
    const rows = await db1.kysely.selectFrom('test_job_runs').selectAll().where('job_id', '=', 'self').execute();
    assert.equal(rows.length, 1);
  });
});
