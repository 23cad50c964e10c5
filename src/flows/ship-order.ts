import type { AppContext } from '../app/wire.ts';
import { rule } from '../lib/errors.ts';
import { toShip, type Actor } from '../modules/trade/index.ts';

export interface ShipInput {
  carrier: string;
  tracking_no: string;
  /** Lines and quantities in this parcel; omitted = everything not yet shipped. */
  lines?: { line_id: string; quantity: number }[];
}

/**
 * A parcel leaves: the shipment with its tracking plan and the order's shipped quantities, in
 * one transaction. Units the buyer asked to refund without shipping (an open 仅退款 request)
 * are held back until the merchant answers the request: refused if named, left out of "ship
 * everything". (Every read inside uses `tx`: on the embedded engine a query on the shared
 * connection outside the open transaction would wait for it forever.)
 */
export async function shipOrder(ctx: Pick<AppContext, 'db' | 'trade' | 'fulfillment' | 'aftersales'>, storeId: string, orderId: string, input: ShipInput, actor: Actor): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const held = await ctx.aftersales.openRefundOnlyUnits([orderId], tx);
    const all = await ctx.trade.lines(orderId, tx);
    const shippable = (l: (typeof all)[number]) => Math.max(0, toShip(l) - (held.get(l.id) ?? 0));
    let lines = input.lines;
    if (lines) {
      for (const s of lines) {
        const l = all.find((x) => x.id === s.line_id);
        const onHold = held.get(s.line_id) ?? 0;
        if (l && onHold > 0 && s.quantity > shippable(l)) {
          throw rule('refund_requested', `line ${s.line_id}: the buyer asked for a refund of ${onHold} unit(s) without shipping; answer the request first`, { line_id: s.line_id, units_on_hold: onHold, shippable: shippable(l) })
            .zh(`买家已申请仅退款（${onHold} 件），请先处理售后再发货`);
        }
      }
    } else {
      lines = all.filter((l) => l.store_id === storeId && shippable(l) > 0).map((l) => ({ line_id: l.id, quantity: shippable(l) }));
      if (lines.length === 0 && held.size > 0) {
        throw rule('refund_requested', 'everything left to ship is under a refund request; answer it first', { order_id: orderId }).zh('待发货商品均在申请仅退款，请先处理售后');
      }
    }
    const order = await ctx.trade.recordShipment(tx, storeId, orderId, lines, actor);
    const address = JSON.parse(order.address) as { province?: string };
    return ctx.fulfillment.createShipment(tx, { order_id: order.id, store_id: storeId, direction: 'outbound', carrier: input.carrier, tracking_no: input.tracking_no, lines, province: address.province ?? null });
  });
}
