import { sql } from 'kysely';
import type { Db, Executor } from './index.ts';

/**
 * Group commit for the embedded engine. A durable SQLite commit (synchronous=FULL) costs an
 * fsync, ~0.4 ms here, which caps one-transaction-per-request at ~2.7k commits/s. Jobs that
 * arrive while the event loop is busy are gathered and run one after another inside ONE
 * transaction, each in its own savepoint: a job that fails is rolled back alone and its
 * caller gets the error; the others commit together, and nobody's promise resolves before
 * the shared commit is on disk — so every acknowledged write is durable.
 *
 * On PostgreSQL each job simply runs in its own transaction: the server overlaps
 * concurrent commits itself.
 */
export interface GroupCommitter {
  run<T>(job: (tx: Executor) => Promise<T>): Promise<T>;
}

interface Pending {
  job: (tx: Executor) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export function createGroupCommitter(db: Db, opts: { maxBatch?: number } = {}): GroupCommitter {
  if (db.engine !== 'sqlite') return { run: (job) => db.transaction(job) };
  const maxBatch = opts.maxBatch ?? 256;
  let queue: Pending[] = [];
  let scheduled = false;
  let running = false;

  const schedule = () => {
    if (scheduled || running) return;
    scheduled = true;
    // setImmediate runs after the poll phase, so every request parsed in this loop turn joins.
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  };

  async function flush(): Promise<void> {
    if (running || queue.length === 0) return;
    running = true;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await db.transaction(async (tx) => {
        for (const p of batch) {
          await sql`savepoint gc_job`.execute(tx);
          try {
            const value = await p.job(tx);
            await sql`release savepoint gc_job`.execute(tx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await sql`rollback to savepoint gc_job`.execute(tx);
            await sql`release savepoint gc_job`.execute(tx);
            outcomes.push({ ok: false, error });
          }
        }
      });
      batch.forEach((p, i) => {
        const o = outcomes[i];
        if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      });
    } catch (err) {
      // The shared commit failed: nothing in this batch happened.
      for (const p of batch) p.reject(err);
    } finally {
      running = false;
      if (queue.length) schedule();
    }
  }

  return {
    run<T>(job: (tx: Executor) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ job, resolve: resolve as (v: unknown) => void, reject });
        schedule();
      });
    },
  };
}
