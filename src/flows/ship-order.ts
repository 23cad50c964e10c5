import type { AppContext } from '../app/wire.ts';
import type { Actor } from '../modules/trade/index.ts';

export interface ShipInput {
  carrier: string;
  tracking_no: string;
  /** Lines and quantities in this parcel; omitted = everything not yet shipped. */
  lines?: { line_id: string; quantity: number }[];
}

/**
 * A parcel leaves: the shipment with its tracking plan and the order's shipped quantities, in
 * one transaction. (Every read inside uses `tx`: on the embedded engine a query on the shared
 * connection outside the open transaction would wait for it forever.)
 */
export async function shipOrder(ctx: Pick<AppContext, 'db' | 'trade' | 'fulfillment'>, storeId: string, orderId: string, input: ShipInput, actor: Actor): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const lines = input.lines ?? (await ctx.trade.lines(orderId, tx)).filter((l) => l.store_id === storeId && l.shipped_quantity < l.quantity).map((l) => ({ line_id: l.id, quantity: l.quantity - l.shipped_quantity }));
    const order = await ctx.trade.recordShipment(tx, storeId, orderId, lines, actor);
    const address = JSON.parse(order.address) as { province?: string };
    return ctx.fulfillment.createShipment(tx, { order_id: order.id, store_id: storeId, direction: 'outbound', carrier: input.carrier, tracking_no: input.tracking_no, lines, province: address.province ?? null });
  });
}
