import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import { sandboxTracking, type CarrierTracking } from './carriers.ts';
import { createShipments } from './fulfillment.service.ts';
import { createShippingTemplates } from './shipping-templates.ts';

export type { Shipment } from './fulfillment.service.ts';
export type { ShippingTemplate, ShippingTemplateInput, ShippingRule } from './shipping-templates.ts';
export { CARRIERS, carrierByCode, type CarrierInfo, type CarrierTracking, type TrackingStatus } from './carriers.ts';

/**
 * Shipments (merchant → buyer, and returns), carriers, tracking history and store shipping
 * templates. Events: `shipment.<status>` { shipment_id, order_id, store_id, direction, status }
 * for picked_up, in_transit, out_for_delivery, delivered.
 */
export function createFulfillmentModule(deps: { db: Db; clock: Clock; outbox: Outbox; scheduler: Scheduler; tracking?: CarrierTracking }) {
  return {
    ...createShipments({ ...deps, tracking: deps.tracking ?? sandboxTracking }),
    ...createShippingTemplates(deps),
  };
}
export type FulfillmentModule = ReturnType<typeof createFulfillmentModule>;
