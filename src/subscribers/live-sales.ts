import type { Outbox } from '../db/outbox.ts';
import type { LiveModule } from '../modules/live/index.ts';
import type { TradeModule } from '../modules/trade/index.ts';

export const LIVE_SALES_SUBSCRIBER = 'live.sales';

/**
 * Live follows paid orders: lines attributed to a room (channel 'live', content_id = room id)
 * go into the room's sales read model (idempotent per order and product), and viewers get a
 * "someone just bought X" event, published once the delivery has committed; with at-least-once
 * delivery a retried handler records nothing twice and publishes nothing again.
 */
export function subscribeLiveSales(outbox: Outbox, deps: { trade: Pick<TradeModule, 'order' | 'lines'>; live: Pick<LiveModule, 'recordSale' | 'hub'> }): void {
  outbox.subscribe(LIVE_SALES_SUBSCRIBER, ['order.paid'], async (event, tx) => {
    const order = await deps.trade.order(event.payload.order_id as string, tx);
    if (!order) return;
    const lines = await deps.trade.lines(order.id, tx);
    const byRoom = new Map<string, typeof lines>();
    const announce: (() => void)[] = [];
    for (const l of lines) if (l.channel === 'live' && l.content_id) byRoom.set(l.content_id, [...(byRoom.get(l.content_id) ?? []), l]);
    for (const [roomId, ls] of byRoom) {
      const added = await deps.live.recordSale(tx, {
        order_id: order.id, room_id: roomId, buyer_id: order.buyer_id, paid_at: event.occurred_at,
        lines: ls.map((l) => ({ product_id: l.product_id, title: l.title, quantity: l.quantity, amount_minor: l.paid_minor - l.shipping_minor })),
      });
      if (added) {
        const first = ls[0];
        announce.push(() => deps.live.hub.publish(roomId, 'purchase', { product_id: first.product_id, title: first.title, quantity: ls.reduce((s, l) => s + l.quantity, 0), buyer: '有人' }));
      }
    }
    return () => announce.forEach((a) => a());
  });
}
