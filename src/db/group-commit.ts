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
 * PostgreSQL gets the same batching, for a different reason: checkouts of a hot SKU all
 * update its stock row, and a row lock is held until commit, so one-transaction-per-request
 * serialises them at one commit (an fsync) each. In one batch the row is updated by each job in turn and committed once. A
 * batch that PostgreSQL aborts for a deadlock or a serialisation failure (another transaction
 * touching the same rows in another order) is run again, once, as a whole: nothing of it was
 * committed. (Measured on a loaded 2-core machine, 64 buyers of one product: 71 checkouts/s
 * batched vs 56/s one transaction each — PostgreSQL here is bound by statement round trips,
 * not by the lock; see docs/benchmarks.md.)
 */
export interface GroupCommitter {
  run<T>(job: (tx: Executor) => Promise<T>): Promise<T>;
}

interface Pending {
  job: (tx: Executor) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

const YIELD_EVERY = 2;
/**
 * After the shared commit, callers are answered this many at a time per turn of the event
 * loop: each answer runs its caller's continuation (for a checkout, the HTTP response), and 64
 * of them in one chain of microtasks would hold every other request for ~10 ms.
 */
const SETTLE_EVERY = 8;
const RETRYABLE = new Set(['40P01', '40001']); // deadlock_detected, serialization_failure

export function createGroupCommitter(db: Db, opts: { maxBatch?: number } = {}): GroupCommitter {
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
    const runBatch = async () => {
      const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      await db.transaction(async (tx) => {
        for (let i = 0; i < batch.length; i++) {
          const p = batch[i];
          // Embedded statements complete synchronously, so a batch would otherwise run as one
          // unbroken chain of microtasks: let the event loop serve other requests (parsing,
          // in-memory reads, sending responses) every few jobs.
          if (i > 0 && i % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
          await sql`savepoint gc_job`.execute(tx);
          try {
            const value = await p.job(tx);
            await sql`release savepoint gc_job`.execute(tx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            if (RETRYABLE.has((error as { code?: string }).code ?? '')) throw error; // the transaction is aborted: retry the batch
            await sql`rollback to savepoint gc_job`.execute(tx);
            await sql`release savepoint gc_job`.execute(tx);
            outcomes.push({ ok: false, error });
          }
        }
      });
      return outcomes;
    };
    try {
      let outcomes;
      try {
        outcomes = await runBatch();
      } catch (err) {
        if (!RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
        outcomes = await runBatch();
      }
      void settleInSlices(batch, outcomes);
    } catch (err) {
      // The shared commit failed: nothing in this batch happened.
      for (const p of batch) p.reject(err);
    } finally {
      running = false;
      if (queue.length) schedule();
    }
  }

  async function settleInSlices(batch: Pending[], outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[]): Promise<void> {
    for (let i = 0; i < batch.length; i++) {
      if (i > 0 && i % SETTLE_EVERY === 0) await new Promise((r) => setImmediate(r));
      const o = outcomes[i];
      if (o.ok) batch[i].resolve(o.value);
      else batch[i].reject(o.error);
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
