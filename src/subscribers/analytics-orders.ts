import type { Outbox } from '../db/outbox.ts';
import type { AnalyticsModule } from '../modules/analytics/index.ts';
import type { PaymentsModule } from '../modules/payments/index.ts';
import type { TradeModule } from '../modules/trade/index.ts';

export const ANALYTICS_ORDER_SUBSCRIBER = 'analytics.order_events';

/**
 * Analytics' read model of sales, from trade's and payments' events (idempotent: a paid order's
 * lines are inserted once; statuses and refunded amounts are copied as absolute values):
 *  - `order.paid`: the order's lines with their attribution (channel, content, creator, campaign);
 *  - later order transitions: the order's current status;
 *  - refunds requested / succeeded / failed: each line's refunded amount, from payments.
 */
export function subscribeAnalyticsToOrders(outbox: Outbox, deps: { trade: Pick<TradeModule, 'order' | 'lines'>; payments: Pick<PaymentsModule, 'orderFunds'>; analytics: Pick<AnalyticsModule, 'recordPaidOrder' | 'recordRefunds' | 'orderStatus'> }): void {
  const types = ['order.paid', 'order.partially_shipped', 'order.shipped', 'order.received', 'order.completed', 'order.closed', 'payment.refund_requested', 'payment.refund_succeeded', 'payment.refund_failed', 'payment.refund_abnormal'];
  outbox.subscribe(ANALYTICS_ORDER_SUBSCRIBER, types, async (event, tx) => {
    const orderId = event.payload.order_id as string | null;
    if (!orderId) return;
    if (event.type.startsWith('payment.')) {
      const funds = await deps.payments.orderFunds(orderId, tx);
      if (funds) await deps.analytics.recordRefunds(tx, funds.lines.map((l) => ({ line_id: l.line_id, refunded_minor: Number(l.refunded_minor) })));
      return;
    }
    const order = await deps.trade.order(orderId, tx);
    if (!order || order.paid_at === null) return;
    if (event.type !== 'order.paid') return deps.analytics.orderStatus(tx, orderId, order.status);
    const lines = await deps.trade.lines(orderId, tx);
    await deps.analytics.recordPaidOrder(tx, {
      id: order.id, store_id: order.store_id, buyer_id: order.buyer_id, status: order.status, paid_at: Number(order.paid_at),
      lines: lines.map((l) => ({
        line_id: l.id, product_id: l.product_id, quantity: l.quantity, paid_minor: Number(l.paid_minor), refunded_minor: Number(l.refunded_minor),
        channel: l.channel, content_id: l.content_id, creator_id: l.creator_id, campaign_id: l.campaign_id,
      })),
    });
  });
}
