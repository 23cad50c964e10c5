import type { Executor } from '../db/index.ts';
import type { Outbox } from '../db/outbox.ts';
import type { CampaignsModule, PresaleTakeStage } from '../modules/campaigns/index.ts';
import type { PaymentsModule } from '../modules/payments/index.ts';
import type { TradeModule } from '../modules/trade/index.ts';

export const CAMPAIGN_SALES_SUBSCRIBER = 'campaigns.sales';

function presaleStage(type: string, event: string | undefined): PresaleTakeStage | null {
  if (type === 'order.deposit_paid') return 'deposit_paid';
  if (type === 'order.cancelled') return 'cancelled';
  if (type === 'order.closed') return event === 'forfeit' ? 'forfeited' : event === 'merchant_cancel' || event === 'campaign_cancel' ? 'refunded' : null;
  return null;
}

/** payments' refund events: the refund has been booked (money left escrow or the merchant), has succeeded, failed (booked back) or is abnormal (still owed). */
const REFUND_EVENTS = ['payment.refund_requested', 'payment.refund_succeeded', 'payment.refund_failed', 'payment.refund_abnormal'];

type Deps = {
  trade: Pick<TradeModule, 'order' | 'lines'>;
  payments: Pick<PaymentsModule, 'orderFunds'>;
  campaigns: Pick<CampaignsModule, 'recordPaidOrder' | 'invalidateVenue' | 'recordPresaleStage' | 'hasSales' | 'recordRefunds'>;
};

/** Copies what payments has booked back on an order's lines into the campaign read model (absolute amounts: idempotent). */
async function syncRefunds(tx: Executor, deps: Deps, eventId: string, orderId: string): Promise<void> {
  const funds = await deps.payments.orderFunds(orderId, tx);
  if (!funds) return;
  await deps.campaigns.recordRefunds(tx, eventId, orderId, funds.lines.map((l) => ({
    line_id: l.line_id, refunded_minor: Number(l.refunded_minor), refunded_after_settlement_minor: Number(l.post_refunded_minor),
  })));
}

/**
 * Campaigns follow trade's `order.paid`: the order's campaign lines go into the campaign's sales
 * read model (report) and, once recorded, into the in-memory rankings — within the outbox's
 * dispatch delay (milliseconds when workers run). Idempotent by line id. Phase changes and
 * reviews (possibly written by another process) make the main venue rebuild on its next read.
 * Pre-sale orders' deposits follow their order (deposit paid, balance paid, forfeited, refunded,
 * cancelled) into the report's pre-sale part.
 *
 * Refunds follow payments' refund events (after-sales refunds, a paid order refunded in full
 * before shipping, a pre-sale order's refund split over its deposit and balance — all go through
 * payments' refund API): for an order with campaign lines, each line's refunded amount (and the
 * part after settlement) is copied from payments as absolute numbers, so a redelivered or
 * out-of-order event changes nothing; a failed refund puts it back. A refund counts from when
 * payments books it (the ledger moves the money then), like analytics' refunded amounts.
 */
export function subscribeCampaignSales(outbox: Outbox, deps: Deps): void {
  const types = ['order.paid', 'order.deposit_paid', 'order.closed', 'order.cancelled', ...REFUND_EVENTS, 'campaign.phase_changed', 'campaign.registration_reviewed', 'campaign.registration_withdrawn', 'campaign.updated'];
  outbox.subscribe(CAMPAIGN_SALES_SUBSCRIBER, types, async (event, tx) => {
    if (REFUND_EVENTS.includes(event.type)) {
      const orderId = event.payload.order_id as string | null;
      // the automatic refund of a cancelled checkout concerns no order; other orders have no campaign lines
      if (orderId && (await deps.campaigns.hasSales(tx, orderId))) await syncRefunds(tx, deps, event.id, orderId);
      return;
    }
    if (!event.type.startsWith('order.')) return deps.campaigns.invalidateVenue();
    const orderId = event.payload.order_id as string;
    const stage = presaleStage(event.type, event.payload.event as string | undefined);
    if (event.type !== 'order.paid') {
      if (stage) await deps.campaigns.recordPresaleStage(tx, orderId, stage);
      return;
    }
    const order = await deps.trade.order(orderId, tx);
    if (!order) return;
    if (order.kind === 'presale') await deps.campaigns.recordPresaleStage(tx, orderId, 'balance_paid');
    const lines = await deps.trade.lines(orderId, tx);
    if (!lines.some((l) => l.campaign_id)) return;
    await deps.campaigns.recordPaidOrder(tx, order, lines);
    // a refund event delivered before this one (a retried delivery) found no sale: catch up now
    await syncRefunds(tx, deps, event.id, orderId);
  });
}
