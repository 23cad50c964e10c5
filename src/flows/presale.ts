import type { Db, Executor } from '../db/index.ts';
import type { Scheduler } from '../db/scheduler.ts';
import type { Clock } from '../lib/clock.ts';
import { conflict, notFound } from '../lib/errors.ts';
import type { CampaignsModule } from '../modules/campaigns/index.ts';
import type { PaymentsModule, PaymentView } from '../modules/payments/index.ts';
import type { Actor, PresaleInput, PresaleView, TradeModule } from '../modules/trade/index.ts';

export const PRESALE_CAMPAIGN_CANCELLED_JOB = 'presale.campaign_cancelled';
const BATCH = 100;
const SYSTEM: Actor = { kind: 'system', id: null };

/**
 * Pre-sale (预售) across campaigns (offers, units), trade (the order and its two checkouts) and
 * payments (the two payments, the forfeit, the refunds). Each step is one transaction:
 *   deposit order   campaigns' terms → trade places order + deposit checkout; campaigns takes the
 *                   units and inventory holds the stock in the same transaction
 *   deposit / balance   payments.pay on the deposit / balance checkout (the existing protocol)
 *   window ended    (durable job at window end + grace) trade closes the order (forfeit), the units
 *                   and stock go back, payments moves the deposit escrow → merchant (less the fee)
 *   merchant cancel trade closes the order (deposit_paid only), payments refunds the deposit in
 *                   full (queued in the same transaction; the provider is called after commit)
 *   campaign cancelled  (durable job, batches) the same for every open pre-sale order of it
 */
export function createPresaleFlow(d: {
  db: Db; clock: Clock; scheduler: Scheduler;
  trade: Pick<TradeModule, 'placePresale' | 'placeBalance' | 'previewBalance' | 'closePresale' | 'presaleOrder' | 'presaleOrderById' | 'openPresaleOrderIds'>;
  campaigns: Pick<CampaignsModule, 'presaleTerms' | 'takePresale'>;
  payments: Pick<PaymentsModule, 'pay' | 'refund' | 'forfeitDeposit'>;
}) {
  const { db, clock, scheduler, trade, campaigns, payments } = d;

  async function refundDeposit(tx: Executor, orderId: string, event: 'merchant_cancel' | 'campaign_cancel', actor: Actor, reason: string): Promise<boolean> {
    const closed = await trade.closePresale(tx, orderId, event, actor, reason);
    if (!closed) return false;
    const r = await payments.refund(tx, { order_id: orderId, lines: [{ line_id: closed.line_id, amount_minor: closed.deposit_paid_minor }], reason, out_refund_no: `presale_${event === 'merchant_cancel' ? 'mc' : 'cc'}_${orderId}` });
    if (r.status === 'failed') throw new Error(`refunding the deposit of ${orderId}: ${r.code} ${r.message}`);
    return true;
  }

  const flow = {
    /** Warm-up: a deposit order for one SKU of a pre-sale offer (the deposit is paid next, as its own payment). */
    async placeOrder(buyerId: string, input: PresaleInput & { offer_id: string }): Promise<PresaleView> {
      const terms = await campaigns.presaleTerms(input.offer_id, input.quantity);
      const { per_buyer_limit, ...kept } = terms;
      return trade.placePresale(buyerId, kept, input, (tx, ref) => campaigns.takePresale(tx, { ...ref, offer_id: input.offer_id, buyer_id: buyerId, per_buyer_limit }));
    },

    /** Pays the deposit checkout through the payment provider (QR / cashier page, or JSAPI). */
    async payDeposit(buyerId: string, orderId: string, opts: { payer_openid?: string } = {}): Promise<{ presale: PresaleView; payment: PaymentView }> {
      const presale = await trade.presaleOrder(buyerId, orderId);
      return { presale, payment: await payments.pay(buyerId, presale.deposit_checkout_id, opts) };
    },

    /** In the balance window: prices the balance (满减, coupons, shipping), places its checkout and starts paying it. */
    async payBalance(buyerId: string, orderId: string, input: { coupon_ids?: string[]; expected_balance_minor?: number; payer_openid?: string }): Promise<{ presale: PresaleView; payment: PaymentView }> {
      const placed = await trade.placeBalance(buyerId, orderId, input);
      const payment = await payments.pay(buyerId, placed.checkout_id, { payer_openid: input.payer_openid });
      return { presale: placed.presale, payment };
    },

    /** The balance window's end (job): an unpaid balance forfeits the deposit to the merchant. Idempotent. */
    async forfeitIfUnpaid(tx: Executor, orderId: string): Promise<boolean> {
      const closed = await trade.closePresale(tx, orderId, 'forfeit', SYSTEM, 'balance_not_paid');
      if (!closed) return false;
      if (!(await payments.forfeitDeposit(tx, orderId))) throw new Error(`pre-sale ${orderId}: no deposit held in escrow to forfeit`);
      return true;
    },

    /** The merchant cancels a pre-sale order before the balance (cannot ship): the deposit is refunded in full. */
    async merchantCancel(storeId: string, orderId: string, actorId: string, reason: string): Promise<PresaleView> {
      const p = await trade.presaleOrderById(orderId);
      if (!p || p.store_id !== storeId) throw notFound('presale_order', orderId);
      if (p.stage !== 'deposit_paid' && p.stage !== 'awaiting_deposit') {
        throw conflict('presale_not_cancellable', `a pre-sale order that is ${p.stage} cannot be cancelled here${p.stage === 'balance_paid' ? '; refund it through after-sales' : ''}`, { stage: p.stage }).zh('该预售订单当前不能取消');
      }
      await db.transaction((tx) => refundDeposit(tx, orderId, 'merchant_cancel', { kind: 'merchant', id: actorId }, reason || 'merchant_cancelled'));
      return (await trade.presaleOrderById(orderId))!;
    },

    /** A campaign cancelled (job): every open pre-sale order of it ends; paid deposits are refunded in full. */
    async campaignCancelled(tx: Executor, campaignId: string): Promise<number> {
      const ids = await trade.openPresaleOrderIds(tx, campaignId, BATCH);
      for (const id of ids) await refundDeposit(tx, id, 'campaign_cancel', SYSTEM, 'campaign_cancelled');
      if (ids.length === BATCH) {
        await scheduler.schedule(tx, { kind: PRESALE_CAMPAIGN_CANCELLED_JOB, run_at: clock.now(), payload: { campaign_id: campaignId }, dedupe_key: `presale:campaign:${campaignId}:${ids[ids.length - 1]}` });
      }
      return ids.length;
    },

    previewBalance: trade.previewBalance,
  };
  return flow;
}
export type PresaleFlow = ReturnType<typeof createPresaleFlow>;
