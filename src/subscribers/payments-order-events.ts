import type { Outbox } from '../db/outbox.ts';
import type { PaymentsModule } from '../modules/payments/index.ts';
import type { TradeModule } from '../modules/trade/index.ts';

export const PAYMENTS_ORDER_SUBSCRIBER = 'payments.order_events';

/**
 * Payments follows trade's order events; no money moves here (settlement and closes run later
 * as durable work):
 *  - `order.cancelled` (buyer cancel or the 15-minute timer): close the provider's order once
 *    this commits, so a late payment is refused upstream; if the buyer paid meanwhile the close
 *    answers ORDERPAID, the payment is applied and — the checkout being cancelled — refunded.
 *    Trade stays unaware of payments: no provider call can sit inside its cancel transaction.
 *  - `order.completed`: schedule the order's settlement job (completion + settlement period).
 * Idempotent: the close request and the job are keyed by checkout and order.
 */
export function subscribePaymentsToOrders(outbox: Outbox, deps: { trade: Pick<TradeModule, 'order'>; payments: Pick<PaymentsModule, 'requestClose' | 'scheduleSettlement'> }): void {
  outbox.subscribe(PAYMENTS_ORDER_SUBSCRIBER, ['order.cancelled', 'order.completed'], async (event, tx) => {
    const orderId = event.payload.order_id as string;
    if (event.type === 'order.completed') return deps.payments.scheduleSettlement(tx, orderId, event.occurred_at);
    const order = await deps.trade.order(orderId, tx);
    if (order) await deps.payments.requestClose(tx, order.checkout_id);
  });
}
