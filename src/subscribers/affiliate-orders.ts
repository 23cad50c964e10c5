import type { Executor } from '../db/index.ts';
import type { Outbox } from '../db/outbox.ts';
import type { AffiliateModule } from '../modules/affiliate/index.ts';
import type { PaymentsModule } from '../modules/payments/index.ts';
import type { TradeModule } from '../modules/trade/index.ts';

export const AFFILIATE_ORDER_SUBSCRIBER = 'affiliate.order_events';

type Deps = { trade: Pick<TradeModule, 'order' | 'lines'>; payments: Pick<PaymentsModule, 'orderFunds'>; affiliate: Pick<AffiliateModule, 'snapshotOrder' | 'orderStatus' | 'recordFunds'> };

/** Snapshots the commission rates of a paid order's creator lines (idempotent). Settlement calls it too when the event has not been handled yet. */
export async function snapshotCommissions(tx: Executor, deps: Pick<Deps, 'trade' | 'affiliate'>, orderId: string): Promise<void> {
  const order = await deps.trade.order(orderId, tx);
  if (!order || order.paid_at === null) return;
  const lines = await deps.trade.lines(orderId, tx);
  if (!lines.some((l) => l.creator_id)) return;
  await deps.affiliate.snapshotOrder(tx, { id: order.id, store_id: order.store_id, status: order.status, paid_at: Number(order.paid_at) }, lines.map((l) => ({
    line_id: l.id, product_id: l.product_id, title: l.title, quantity: l.quantity, paid_minor: Number(l.paid_minor), refunded_minor: Number(l.refunded_minor),
    creator_id: l.creator_id, channel: l.channel, content_id: l.content_id,
  })));
}

/**
 * Affiliate follows orders and their money (no money moves here — payments posts commissions
 * in settlement and refunds; this keeps the creator's and merchant's views in step):
 *  - `order.paid`: snapshot each creator line's rate (the rate valid at paid_at);
 *  - later order transitions: the order's status, read from trade (so a late retry never rolls it back);
 *  - `payment.order_settled` and refunds: the per-line commission settlement posted and refunds took back, read from payments.
 */
export function subscribeAffiliateToOrders(outbox: Outbox, deps: Deps): void {
  const orderEvents = ['order.paid', 'order.partially_shipped', 'order.shipped', 'order.received', 'order.completed', 'order.closed'];
  const moneyEvents = ['payment.order_settled', 'payment.refund_requested', 'payment.refund_succeeded', 'payment.refund_failed', 'payment.refund_abnormal'];
  outbox.subscribe(AFFILIATE_ORDER_SUBSCRIBER, [...orderEvents, ...moneyEvents], async (event, tx) => {
    const orderId = event.payload.order_id as string | null;
    if (!orderId) return; // the automatic refund of a cancelled checkout concerns no order
    if (event.type === 'order.paid') return snapshotCommissions(tx, deps, orderId);
    if (event.type.startsWith('order.')) {
      const order = await deps.trade.order(orderId, tx);
      if (order) await deps.affiliate.orderStatus(tx, orderId, order.status);
      return;
    }
    const funds = await deps.payments.orderFunds(orderId, tx);
    if (!funds) return;
    await deps.affiliate.recordFunds(tx, orderId, funds.settled_at === null ? null : Number(funds.settled_at), funds.lines.map((l) => ({
      line_id: l.line_id, refunded_minor: Number(l.refunded_minor), settled_commission_minor: l.settled_commission_minor === null ? null : Number(l.settled_commission_minor),
      reversed_commission_minor: Number(l.reversed_commission_minor),
    })));
  });
}
