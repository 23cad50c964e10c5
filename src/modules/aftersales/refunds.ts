import type { Clock } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { AftersalesRepo, RefundRow } from './aftersales.repo.ts';

/**
 * What after-sales asks of payments: refund part of an order's payment, by line. Payments
 * calls the provider, records the refund and posts the ledger reversal. The call is
 * idempotent by `out_refund_no` — calling again with the same number answers the same
 * refund's current state — and is made outside any database transaction.
 */
export interface RefundPort {
  refund(input: RefundInput): Promise<RefundOutcome>;
}
export interface RefundInput {
  order_id: string;
  lines: { line_id: string; amount_minor: number }[];
  reason: string;
  out_refund_no: string;
}
export type RefundOutcome =
  | { status: 'succeeded'; refund_id: string | null }
  | { status: 'processing'; refund_id: string | null }
  | { status: 'failed'; code: string; message: string; retryable: boolean };

const LEASE_MS = 60_000;
const retryDelayMs = (attempts: number) => Math.min(3_600_000, 10_000 * 2 ** Math.min(attempts, 9));

export interface RefundHooks {
  /** In the transaction that marks the refund succeeded: settle the request or claim it pays. */
  succeeded(tx: Executor, refund: RefundRow): Promise<void>;
  /** In the transaction that marks it refused for good: surface it to operators. */
  failed(tx: Executor, refund: RefundRow, message: string): Promise<void>;
}

/**
 * Refunds queued by after-sales (in the transaction that approves them) and executed after
 * commit: a row per refund, claimed with a lease, the provider called with no transaction
 * open, the outcome applied in a new transaction. `processing` and retryable failures are
 * asked again with backoff (same out_refund_no), so a crash anywhere repeats the call, never
 * the money. Runs from the module's worker loop, right after the committing request, and
 * from tests via `runDueRefunds()`.
 */
export function createRefundQueue(deps: { db: Db; repo: AftersalesRepo; clock: Clock; log: Logger; port: () => RefundPort; hooks: RefundHooks }) {
  const { db, repo, clock, log } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function enqueue(tx: Executor, input: { subject_id: string; order_id: string; line_id: string; amount_minor: number; reason: string }): Promise<RefundRow> {
    const now = clock.now();
    const row: RefundRow = {
      id: newId('arf'), ...input, status: 'pending', attempts: 0, next_attempt_at: now, claimed_until: null, provider_refund_id: null, last_error: null, created_at: now, finished_at: null,
    };
    await repo.q(tx).insertInto('aftersales_refunds').values(row).execute();
    if (timer) setTimeout(() => void runDue().catch((err) => log.error({ err }, 'after-sales refunds failed')), 5).unref();
    return row;
  }

  /** Applies a provider outcome; conditional on the refund still being open, so it is idempotent. */
  async function apply(tx: Executor, refund: RefundRow, outcome: RefundOutcome): Promise<RefundRow['status']> {
    const now = clock.now();
    const open = (patch: Partial<RefundRow>) =>
      repo.q(tx).updateTable('aftersales_refunds').set({ ...patch, claimed_until: null }).where('id', '=', refund.id).where('status', 'in', ['pending', 'processing']).executeTakeFirst();
    if (outcome.status === 'succeeded') {
      const r = await open({ status: 'succeeded', provider_refund_id: outcome.refund_id, finished_at: now, last_error: null });
      if (Number(r.numUpdatedRows) === 1) await deps.hooks.succeeded(tx, { ...refund, status: 'succeeded', provider_refund_id: outcome.refund_id, finished_at: now });
      return 'succeeded';
    }
    if (outcome.status === 'failed' && !outcome.retryable) {
      const r = await open({ status: 'failed', last_error: `${outcome.code}: ${outcome.message}`.slice(0, 500), finished_at: now });
      if (Number(r.numUpdatedRows) === 1) await deps.hooks.failed(tx, { ...refund, status: 'failed' }, outcome.message);
      return 'failed';
    }
    const error = outcome.status === 'failed' ? `${outcome.code}: ${outcome.message}`.slice(0, 500) : null;
    await open({ status: 'processing', next_attempt_at: now + retryDelayMs(refund.attempts), last_error: error, provider_refund_id: outcome.status === 'processing' ? outcome.refund_id : null });
    return 'processing';
  }

  /** Claims one refund, asks payments (no transaction open), applies the answer. */
  async function runOne(id: string): Promise<RefundRow['status'] | null> {
    const now = clock.now();
    const claimed = await repo.q().updateTable('aftersales_refunds').set((eb) => ({ claimed_until: now + LEASE_MS, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id).where('status', 'in', ['pending', 'processing'])
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)])).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    const refund = (await repo.q().selectFrom('aftersales_refunds').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    let outcome: RefundOutcome;
    try {
      outcome = await deps.port().refund({ order_id: refund.order_id, lines: [{ line_id: refund.line_id, amount_minor: refund.amount_minor }], reason: refund.reason, out_refund_no: refund.id });
    } catch (err) {
      log.warn({ err, refund_id: id }, 'refund call failed; will retry');
      outcome = { status: 'failed', code: 'refund_call_failed', message: String((err as Error)?.message ?? err), retryable: true };
    }
    return db.transaction((tx) => apply(tx, refund, outcome));
  }

  async function runDue(limit = 50): Promise<number> {
    const now = clock.now();
    const due = await repo.q().selectFrom('aftersales_refunds').select('id').where('status', 'in', ['pending', 'processing']).where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)])).orderBy('next_attempt_at').limit(limit).execute();
    let done = 0;
    for (const { id } of due) if ((await runOne(id)) === 'succeeded') done++;
    return done;
  }

  return {
    enqueue,
    runOne,
    /** Every refund due now; returns how many succeeded. Tests call this after the scheduler and outbox. */
    runDueRefunds: runDue,
    /** A refund's outcome reported later by payments (its notification), in the caller's transaction. */
    async settled(tx: Executor, outRefundNo: string, outcome: RefundOutcome): Promise<void> {
      const refund = await repo.q(tx).selectFrom('aftersales_refunds').selectAll().where('id', '=', outRefundNo).executeTakeFirst();
      if (refund) await apply(tx, refund, outcome);
    },
    start(pollMs = 2000): void {
      timer = setInterval(() => {
        if (running) return;
        running = runDue().catch((err) => log.error({ err }, 'after-sales refunds failed')).finally(() => (running = undefined));
      }, pollMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
export type RefundQueue = ReturnType<typeof createRefundQueue>;
