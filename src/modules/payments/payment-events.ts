import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import type { OrderRow } from '../trade/index.ts';
import { autoRefundNo, type Ctx } from './context.ts';
import type { PaymentRow } from './payments.repo.ts';
import type { PaymentEvent } from './provider.ts';
import type { RefundOutcomes } from './refund-outcomes.ts';

/** A provider's word that a payment succeeded: from a notification, a query, or a close refused with ORDERPAID. */
export interface PaidEvidence {
  out_trade_no: string;
  transaction_id: string;
  amount_minor: number;
  currency: string;
  payer_total_minor: number | null;
  paid_at_ms: number;
  source: 'notification' | 'query';
}

export type PaidResult = 'paid' | 'duplicate' | 'flagged' | 'refunding';
type RefundEvent = Extract<PaymentEvent, { type: 'refund.succeeded' | 'refund.closed' | 'refund.abnormal' }>;

interface LineDiscount { funder?: string; amount_minor?: number; platform_minor?: number }
/** The platform-funded parts of a line's discounts (older lines without the split: a platform funder pays it all). */
const platformPart = (discountsJson: string): number =>
  (JSON.parse(discountsJson) as LineDiscount[]).reduce((s, d) => s + (d.platform_minor ?? (d.funder === 'platform' ? (d.amount_minor ?? 0) : 0)), 0);

/**
 * What a verified provider event does, each in the ONE transaction the caller opened:
 * a payment marks our payment row paid, trade's checkout paid (orders → paid, stock sold) and
 * posts clearing → escrow per order — or, for a checkout cancelled meanwhile, books the money
 * as owed back and queues the automatic refund. Idempotent on out_trade_no / out_refund_no.
 */
export function createPaymentEvents(ctx: Ctx, outcomes: RefundOutcomes) {
  const { repo, clock, trade, postings, flags, outbox } = ctx;

  async function holdFunds(tx: Executor, p: PaymentRow, orders: OrderRow[], part?: 'deposit'): Promise<void> {
    const now = clock.now();
    for (const o of orders) {
      const lines = await trade.lines(o.id, tx);
      const sum = lines.reduce((s, l) => s + Number(l.paid_minor), 0);
      if (sum !== Number(o.total_minor)) throw new Error(`order ${o.id}: lines pay ${sum}, the order ${o.total_minor}`);
      await repo.q(tx).insertInto('payments_order_funds').values({
        order_id: o.id, payment_id: p.id, checkout_id: p.checkout_id, store_id: o.store_id, paid_minor: Number(o.total_minor), refunded_minor: 0, status: 'held',
        settled_at: null, merchant_minor: null, fee_minor: null, commission_minor: null, subsidy_minor: null, created_at: now, updated_at: now,
      }).execute();
      for (const l of lines) {
        await repo.q(tx).insertInto('payments_line_funds').values({
          line_id: l.id, order_id: o.id, paid_minor: Number(l.paid_minor), refunded_minor: 0, fee_rate_bp: l.fee_rate_bp, creator_id: l.creator_id, subsidy_minor: platformPart(l.discounts),
          settled_base_minor: null, settled_fee_minor: null, settled_commission_minor: null, settled_subsidy_minor: null,
          post_refunded_minor: 0, reversed_fee_minor: 0, reversed_commission_minor: 0, reversed_subsidy_minor: 0,
        }).execute();
      }
    }
    if (part) {
      for (const o of orders) await repo.q(tx).insertInto('payments_order_payments').values({ order_id: o.id, payment_id: p.id, part, amount_minor: Number(o.total_minor), refunded_minor: 0, created_at: now }).execute();
    }
    await postings.paymentReceived(tx, { payment_id: p.id, orders: orders.map((o) => ({ order_id: o.id, store_id: o.store_id, amount_minor: Number(o.total_minor), ...(part ? { part } : {}) })) });
  }

  /**
   * A pre-sale balance: the order (already holding its deposit) now holds deposit + balance. Trade
   * wrote the final amounts on the order and line in this transaction; the line's platform-funded
   * discounts (the campaign's 满减) become its subsidy, paid at settlement.
   */
  async function addBalance(tx: Executor, p: PaymentRow, o: OrderRow): Promise<void> {
    const now = clock.now();
    const lines = await trade.lines(o.id, tx);
    const sum = lines.reduce((s, l) => s + Number(l.paid_minor), 0);
    if (sum !== Number(o.total_minor)) throw new Error(`order ${o.id}: lines pay ${sum}, the order ${o.total_minor}`);
    const r = await repo.q(tx).updateTable('payments_order_funds').set({ paid_minor: Number(o.total_minor), updated_at: now })
      .where('order_id', '=', o.id).where('status', '=', 'held').where('paid_minor', '=', Number(o.total_minor) - p.amount_minor).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new Error(`order ${o.id}: the deposit held in escrow plus ${p.amount_minor} is not the order total ${o.total_minor}`);
    for (const l of lines) {
      await repo.q(tx).updateTable('payments_line_funds').set({ paid_minor: Number(l.paid_minor), subsidy_minor: platformPart(l.discounts) }).where('line_id', '=', l.id).execute();
    }
    await repo.q(tx).insertInto('payments_order_payments').values({ order_id: o.id, payment_id: p.id, part: 'balance', amount_minor: p.amount_minor, refunded_minor: 0, created_at: now }).execute();
    await postings.paymentReceived(tx, { payment_id: p.id, orders: [{ order_id: o.id, store_id: o.store_id, amount_minor: p.amount_minor }] });
  }

  /** The money arrived but the checkout no longer wants it: owe it back and queue the refund (sent after commit). */
  async function refundWhole(tx: Executor, p: PaymentRow, why: string): Promise<void> {
    const now = clock.now();
    const id = newId('rfd');
    await repo.q(tx).insertInto('payments_refunds').values({
      id, out_refund_no: autoRefundNo(p.out_trade_no), payment_id: p.id, out_trade_no: p.out_trade_no, order_id: null, store_id: null, kind: 'cancelled_checkout',
      phase: 'cancelled_checkout', amount_minor: p.amount_minor, currency: p.currency, reason: why, status: 'pending', provider_refund_id: null, transfer_ids: '[]',
      attempts: 0, next_attempt_at: now, claimed_until: null, last_error: null, created_at: now, updated_at: now, finished_at: null,
    }).execute();
    await postings.paymentToRefund(tx, { payment_id: p.id, refund_id: id, amount_minor: p.amount_minor });
    await repo.q(tx).updateTable('payments_payments').set({ outcome: 'refunding', updated_at: now }).where('id', '=', p.id).execute();
    await outbox.emit(tx, 'payment.auto_refund_queued', p.id, { payment_id: p.id, checkout_id: p.checkout_id, amount_minor: p.amount_minor, reason: why });
    ctx.kick();
  }

  async function applyPaid(tx: Executor, e: PaidEvidence): Promise<PaidResult> {
    const p = await repo.payment({ out_trade_no: e.out_trade_no }, tx);
    if (!p) {
      await flags.raise(tx, { kind: 'unknown_payment', ref: e.out_trade_no, dedupe_key: `unknown_payment:${e.out_trade_no}:${e.transaction_id}`, details: { ...e } });
      return 'flagged';
    }
    if (p.status === 'paid') {
      if (p.transaction_id !== e.transaction_id) {
        await flags.raise(tx, { kind: 'second_transaction', ref: e.out_trade_no, dedupe_key: `second_transaction:${e.transaction_id}`, details: { recorded: p.transaction_id, reported: e.transaction_id } });
      }
      return 'duplicate';
    }
    if (e.amount_minor !== p.amount_minor || e.currency !== p.currency) {
      // Refused and flagged, and still acknowledged: a retry would carry the same numbers for 24 h.
      await flags.raise(tx, { kind: 'amount_mismatch', ref: e.out_trade_no, dedupe_key: `amount_mismatch:${e.out_trade_no}:${e.transaction_id}:${e.amount_minor}:${e.currency}`, details: { expected_minor: p.amount_minor, expected_currency: p.currency, reported_minor: e.amount_minor, reported_currency: e.currency, transaction_id: e.transaction_id, source: e.source } });
      return 'flagged';
    }
    const now = clock.now();
    const moved = await repo.movePayment(tx, p.id, ['pending', 'closed'], {
      status: 'paid', transaction_id: e.transaction_id, payer_total_minor: e.payer_total_minor, paid_at: e.paid_at_ms, updated_at: now,
      ...(p.close_state === 'requested' ? { close_state: 'paid' as const } : {}),
    });
    if (!moved) return 'duplicate';
    const outcome = await trade.markCheckoutPaid(tx, p.checkout_id, p.amount_minor);
    if (outcome.kind === 'amount_mismatch') throw new Error(`payment ${p.id} is for ${p.amount_minor}, checkout ${p.checkout_id} totals ${outcome.expected_minor}`);
    if (outcome.kind === 'paid') {
      if (outcome.part === 'balance') await addBalance(tx, p, outcome.orders[0]);
      else await holdFunds(tx, p, outcome.orders, outcome.part);
      await repo.q(tx).updateTable('payments_payments').set({ outcome: 'paid' }).where('id', '=', p.id).execute();
      await outbox.emit(tx, 'payment.succeeded', p.id, { payment_id: p.id, checkout_id: p.checkout_id, order_ids: outcome.orders.map((o) => o.id), amount_minor: p.amount_minor, transaction_id: e.transaction_id, ...(outcome.part ? { part: outcome.part } : {}) });
      return 'paid';
    }
    if (outcome.kind === 'already_paid') {
      await flags.raise(tx, { kind: 'paid_twice', ref: e.out_trade_no, dedupe_key: `paid_twice:${p.id}`, details: { checkout_id: p.checkout_id, transaction_id: e.transaction_id } });
    }
    await refundWhole(tx, p, outcome.kind === 'checkout_cancelled' ? 'checkout_cancelled' : 'checkout_already_paid');
    return 'refunding';
  }

  async function applyRefundEvent(tx: Executor, e: RefundEvent): Promise<string> {
    const r = await repo.refund({ out_refund_no: e.out_refund_no }, tx);
    if (!r) {
      await flags.raise(tx, { kind: 'unknown_refund', ref: e.out_refund_no, dedupe_key: `unknown_refund:${e.out_refund_no}:${e.type}`, details: { ...e } });
      return 'flagged';
    }
    if (e.type === 'refund.succeeded') {
      if (e.refund_minor !== r.amount_minor) {
        await flags.raise(tx, { kind: 'refund_amount_mismatch', ref: e.out_refund_no, dedupe_key: `refund_amount_mismatch:${e.out_refund_no}`, details: { expected_minor: r.amount_minor, reported_minor: e.refund_minor } });
        return 'flagged';
      }
      return (await outcomes.succeeded(tx, r, e.refund_id)) ? 'refund_succeeded' : 'duplicate';
    }
    if (e.type === 'refund.closed') return (await outcomes.failed(tx, r, 'closed', 'REFUND.CLOSED')) ? 'refund_closed' : 'duplicate';
    return (await outcomes.abnormal(tx, r)) ? 'refund_abnormal' : 'duplicate';
  }

  return {
    applyPaid,
    /** One verified notification, in the caller's transaction; returns what it did (logged with the notification). */
    async apply(tx: Executor, e: PaymentEvent): Promise<string> {
      if (e.type === 'ignored') return 'ignored';
      if (e.type === 'payment.succeeded') {
        return applyPaid(tx, { out_trade_no: e.out_trade_no, transaction_id: e.transaction_id, amount_minor: e.amount_minor, currency: e.currency, payer_total_minor: e.payer_total_minor, paid_at_ms: e.paid_at_ms, source: 'notification' });
      }
      return applyRefundEvent(tx, e);
    },
  };
}
export type PaymentEvents = ReturnType<typeof createPaymentEvents>;
