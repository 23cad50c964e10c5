import type { Outbox } from '../db/outbox.ts';
import type { AftersalesModule } from '../modules/aftersales/index.ts';

export const AFTERSALES_RETURNS_SUBSCRIBER = 'aftersales.returns';

/**
 * A return parcel was delivered to the merchant (fulfillment's `shipment.delivered`,
 * direction 'return'): the request moves to `return_delivered` and the merchant's 10 days to
 * confirm start. Idempotent: the move happens only from `returning`, so a redelivered event
 * changes nothing (and the outbox records each delivery in the same transaction).
 */
export function subscribeAftersalesReturns(outbox: Outbox, aftersales: Pick<AftersalesModule, 'onShipmentDelivered'>): void {
  outbox.subscribe(AFTERSALES_RETURNS_SUBSCRIBER, ['shipment.delivered'], async (event, tx) => {
    const p = event.payload as { shipment_id?: unknown; direction?: unknown };
    if (p.direction !== 'return' || typeof p.shipment_id !== 'string') return;
    await aftersales.onShipmentDelivered(tx, { shipment_id: p.shipment_id, direction: 'return' });
  });
}
