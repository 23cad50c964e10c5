import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { Logger } from '../lib/logger.ts';
import type { Db, Executor } from './index.ts';
import { runEffect, type AfterCommit } from './outbox.ts';

/**
 * Durable jobs due at a time (unpaid-order cancel, auto-confirm, deadlines, campaign
 * phases). Stored in the database and claimed with a conditional update, so with several
 * processes each job runs once. The handler runs in one transaction with the update that
 * marks the job done — and that update only succeeds while this worker still holds the
 * lease — so a job's database effects happen exactly once; a crash mid-job leaves it
 * pending and another worker takes it when the lease expires.
 */
export interface Job<P = Record<string, unknown>> {
  id: string;
  kind: string;
  payload: P;
  run_at: number;
  attempts: number;
}

/** A job: writes in `tx`; may return an effect outside the database, run once the job has committed. */
export type JobHandler = (job: Job<any>, tx: Executor) => Promise<void | AfterCommit>;

export interface ScheduleInput {
  kind: string;
  run_at: number;
  payload?: Record<string, unknown>;
  /** A job with the same key is scheduled only once (e.g. `order:ord_…:auto_cancel`). */
  dedupe_key?: string;
  max_attempts?: number;
}

const LEASE_MS = 60_000;
const retryDelayMs = (attempts: number) => Math.min(3_600_000, 5_000 * 2 ** Math.min(attempts, 10));

class LeaseLost extends Error {}

export class Scheduler {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private readonly insertJob;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    readonly workerId: string = newId('wrk'),
  ) {
    this.insertJob = db.prepared(
      'insert into scheduler_jobs (id, kind, payload, run_at, status, attempts, max_attempts, dedupe_key, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (dedupe_key) do nothing',
    );
  }

  register(kind: string, handler: JobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`duplicate job handler ${kind}`);
    this.handlers.set(kind, handler);
  }

  /** Schedules in the caller's transaction; returns the job id (the existing one for a duplicate dedupe key). */
  async schedule(tx: Executor, input: ScheduleInput): Promise<string> {
    const id = newId('job');
    const row = {
      id,
      kind: input.kind,
      payload: JSON.stringify(input.payload ?? {}),
      run_at: input.run_at,
      status: 'pending',
      attempts: 0,
      max_attempts: input.max_attempts ?? 10,
      dedupe_key: input.dedupe_key ?? null,
      created_at: this.clock.now(),
    };
    // One prepared insert; a job with the same dedupe key already there wins (no error, so a
    // PostgreSQL transaction is not aborted by the duplicate).
    const inserted = await this.insertJob.run(tx, [row.id, row.kind, row.payload, row.run_at, row.status, row.attempts, row.max_attempts, row.dedupe_key, row.created_at]);
    if (inserted === 0) {
      const existing = await tx.selectFrom('scheduler_jobs').select('id').where('dedupe_key', '=', input.dedupe_key!).executeTakeFirstOrThrow();
      return existing.id as string;
    }
    return id;
  }

  /**
   * Cancels a pending job by dedupe key (e.g. the order was paid before the auto-cancel).
   * A job that is running right now is left alone — it may be the caller itself, and its
   * handler must be idempotent anyway.
   */
  async cancel(tx: Executor, dedupeKey: string): Promise<boolean> {
    const now = this.clock.now();
    const r = await tx
      .updateTable('scheduler_jobs')
      .set({ status: 'cancelled', finished_at: now })
      .where('dedupe_key', '=', dedupeKey)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  start(pollMs = 500): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runDue()
        .catch((err) => {
          this.log.error({ err }, 'scheduler tick failed');
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs every job due now (by the injected clock); returns how many completed. */
  async runDue(limit = 100): Promise<number> {
    const now = this.clock.now();
    const k = this.db.kysely;
    const due = await k
      .selectFrom('scheduler_jobs')
      .select(['id'])
      .where('status', '=', 'pending')
      .where('run_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .orderBy('run_at')
      .limit(limit)
      .execute();
    let completed = 0;
    for (const { id } of due) {
      if (await this.runOne(id as string, now)) completed++;
    }
    return completed;
  }

  private async runOne(id: string, now: number): Promise<boolean> {
    const k = this.db.kysely;
    const claim = await k
      .updateTable('scheduler_jobs')
      .set((eb) => ({ locked_by: this.workerId, locked_until: now + LEASE_MS, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) return false; // another worker has it
    const row = await k.selectFrom('scheduler_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const job: Job = { id, kind: row.kind, payload: JSON.parse(row.payload), run_at: Number(row.run_at), attempts: Number(row.attempts) };
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler registered for job kind ${job.kind}`);
      let effect: AfterCommit | undefined;
      await this.db.transaction(async (tx) => {
        effect = (await handler(job, tx)) || undefined;
        const done = await tx
          .updateTable('scheduler_jobs')
          .set({ status: 'done', finished_at: this.clock.now(), locked_until: null })
          .where('id', '=', id)
          .where('locked_by', '=', this.workerId)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) throw new LeaseLost(`lease on job ${id} lost`);
      });
      if (effect) runEffect(effect, this.log);
      return true;
    } catch (err) {
      if (err instanceof LeaseLost) {
        this.log.warn({ job_id: id, kind: job.kind }, 'job lease lost or job cancelled while running; its work was rolled back');
        return false;
      }
      const failed = job.attempts >= Number(row.max_attempts);
      this.log.warn({ err, job_id: id, kind: job.kind, attempts: job.attempts }, failed ? 'job failed permanently' : 'job failed; will retry');
      await k
        .updateTable('scheduler_jobs')
        .set({
          status: failed ? 'failed' : 'pending',
          run_at: failed ? job.run_at : this.clock.now() + retryDelayMs(job.attempts),
          locked_until: null,
          last_error: String((err as Error)?.message ?? err).slice(0, 1000),
          finished_at: failed ? this.clock.now() : null,
        })
        .where('id', '=', id)
        .where('locked_by', '=', this.workerId)
        .execute();
      return false;
    }
  }
}
