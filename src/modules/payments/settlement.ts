import { HOUR_MS } from '../../lib/clock.ts';
import type { Executor } from '../../db/index.ts';
import type { Ctx } from './context.ts';
import { settleLines } from './settlement-math.ts';

export const SETTLE_JOB = 'payments.settle_order';
/** An order with a refund in flight (or an open after-sales request) waits: its outcome decides what is left to settle. */
const POSTPONE_MS = HOUR_MS;

/**
 * Settlement: a completed order's money leaves escrow `settlement_period_ms` after completion
 * (a durable scheduler job, scheduled from trade's `order.completed`), for the merchant's
 * available balance minus the technical service fee and the creator commission; the
 * platform-funded discounts are paid to the merchant on top. See settlement-math.ts.
 * Emits `payment.order_settled` { order_id, store_id, merchant_minor, fee_minor, … }.
 */
export function createSettlement(ctx: Ctx) {
  const { repo, clock, scheduler, trade, postings, outbox, config } = ctx;

  async function settleOrder(tx: Executor, orderId: string): Promise<'settled' | 'postponed' | 'nothing'> {
    const now = clock.now();
    // Take the order's lock first (the same row every refund of the order takes first).
    const held = await repo.q(tx).updateTable('payments_order_funds').set({ updated_at: now }).where('order_id', '=', orderId).where('status', '=', 'held').executeTakeFirst();
    if (Number(held.numUpdatedRows) !== 1) return 'nothing';
    const order = await trade.order(orderId, tx);
    if (!order || order.status !== 'completed') return 'nothing';
    const inFlight = await repo.q(tx).selectFrom('payments_refunds').select('id').where('order_id', '=', orderId).where('status', 'in', ['pending', 'processing', 'abnormal']).executeTakeFirst();
    if (inFlight || (await config.holdSettlement(tx, orderId))) {
      await scheduler.schedule(tx, { kind: SETTLE_JOB, run_at: now + POSTPONE_MS, payload: { order_id: orderId }, dedupe_key: `payments:settle:${orderId}:${now + POSTPONE_MS}` });
      return 'postponed';
    }
    const funds = (await repo.orderFunds(orderId, tx))!;
    const lines = await repo.lineFunds(orderId, tx);
    const rates = new Map<string, number>();
    for (const l of lines) if (l.creator_id) rates.set(l.line_id, await config.commissionRateBp({ creator_id: l.creator_id, line_id: l.line_id, order_id: orderId }, tx));
    const plan = settleLines(
      lines.map((l) => ({ line_id: l.line_id, paid_minor: Number(l.paid_minor), refunded_minor: Number(l.refunded_minor), fee_rate_bp: l.fee_rate_bp, creator_id: l.creator_id, subsidy_minor: Number(l.subsidy_minor) })),
      (l) => rates.get(l.line_id) ?? 0,
    );
    if (plan.escrow_minor !== Number(funds.paid_minor) - Number(funds.refunded_minor)) {
      throw new Error(`order ${orderId}: lines hold ${plan.escrow_minor}, the order ${Number(funds.paid_minor) - Number(funds.refunded_minor)}`);
    }
    for (const l of plan.lines) {
      await repo.q(tx).updateTable('payments_line_funds').set({
        settled_base_minor: l.base_minor, settled_fee_minor: l.fee_minor, settled_commission_minor: l.commission_minor, settled_subsidy_minor: l.subsidy_minor,
      }).where('line_id', '=', l.line_id).execute();
    }
    const commission = plan.commissions.reduce((s, c) => s + c.amount_minor, 0);
    await repo.q(tx).updateTable('payments_order_funds').set({
      status: 'settled', settled_at: now, merchant_minor: plan.merchant_minor, fee_minor: plan.fee_minor, commission_minor: commission, subsidy_minor: plan.subsidy_minor, updated_at: now,
    }).where('order_id', '=', orderId).execute();
    await postings.settlement(tx, { order_id: orderId, store_id: funds.store_id, merchant_minor: plan.merchant_minor, fee_minor: plan.fee_minor, commissions: plan.commissions, subsidy_minor: plan.subsidy_minor });
    await outbox.emit(tx, 'payment.order_settled', orderId, {
      order_id: orderId, store_id: funds.store_id, escrow_minor: plan.escrow_minor, merchant_minor: plan.merchant_minor, fee_minor: plan.fee_minor, commission_minor: commission, subsidy_minor: plan.subsidy_minor,
    });
    return 'settled';
  }

  scheduler.register(SETTLE_JOB, async (job, tx) => {
    await settleOrder(tx, job.payload.order_id as string);
  });

  /**
   * A pre-sale deposit forfeited (the buyer did not pay the balance in its window), in the
   * caller's transaction: escrow → the merchant, less the line's technical service fee (the
   * campaign rate: the deposit is the merchant's income from a campaign sale), no commission.
   * The order's funds are done (`settled`); nothing is left in escrow. Idempotent.
   */
  async function forfeitDeposit(tx: Executor, orderId: string): Promise<{ merchant_minor: number; fee_minor: number } | null> {
    const now = clock.now();
    const held = await repo.q(tx).updateTable('payments_order_funds').set({ updated_at: now }).where('order_id', '=', orderId).where('status', '=', 'held').executeTakeFirst();
    if (Number(held.numUpdatedRows) !== 1) return null;
    const funds = (await repo.orderFunds(orderId, tx))!;
    const lines = await repo.lineFunds(orderId, tx);
    const plan = settleLines(lines.map((l) => ({ line_id: l.line_id, paid_minor: Number(l.paid_minor), refunded_minor: Number(l.refunded_minor), fee_rate_bp: l.fee_rate_bp, creator_id: null, subsidy_minor: 0 })), () => 0);
    if (plan.escrow_minor !== Number(funds.paid_minor) - Number(funds.refunded_minor)) throw new Error(`order ${orderId}: lines hold ${plan.escrow_minor}, the order ${Number(funds.paid_minor) - Number(funds.refunded_minor)}`);
    for (const l of plan.lines) {
      await repo.q(tx).updateTable('payments_line_funds').set({ settled_base_minor: l.base_minor, settled_fee_minor: l.fee_minor, settled_commission_minor: 0, settled_subsidy_minor: 0 }).where('line_id', '=', l.line_id).execute();
    }
    await repo.q(tx).updateTable('payments_order_funds').set({ status: 'settled', settled_at: now, merchant_minor: plan.merchant_minor, fee_minor: plan.fee_minor, commission_minor: 0, subsidy_minor: 0, updated_at: now })
      .where('order_id', '=', orderId).execute();
    await postings.depositForfeited(tx, { order_id: orderId, store_id: funds.store_id, merchant_minor: plan.merchant_minor, fee_minor: plan.fee_minor });
    await outbox.emit(tx, 'payment.deposit_forfeited', orderId, { order_id: orderId, store_id: funds.store_id, amount_minor: plan.escrow_minor, merchant_minor: plan.merchant_minor, fee_minor: plan.fee_minor });
    return { merchant_minor: plan.merchant_minor, fee_minor: plan.fee_minor };
  }

  return {
    settleOrder,
    forfeitDeposit,
    /** trade's `order.completed`: the settlement job, once per order (in the event's transaction). */
    async scheduleSettlement(tx: Executor, orderId: string, completedAt: number): Promise<void> {
      await scheduler.schedule(tx, { kind: SETTLE_JOB, run_at: completedAt + config.settlement_period_ms, payload: { order_id: orderId }, dedupe_key: `payments:settle:${orderId}` });
    },
    /** A store's money by state: what escrow holds for it and what settlement gave. */
    async storeFunds(storeId: string): Promise<{ held_orders: number; held_minor: number; settled_orders: number }> {
      const rows = await repo.q().selectFrom('payments_order_funds').select(['status', 'paid_minor', 'refunded_minor']).where('store_id', '=', storeId).execute();
      const held = rows.filter((r) => r.status === 'held');
      return { held_orders: held.length, held_minor: held.reduce((s, r) => s + Number(r.paid_minor) - Number(r.refunded_minor), 0), settled_orders: rows.length - held.length };
    },
  };
}
export type Settlement = ReturnType<typeof createSettlement>;
