import type { Clock } from '../../lib/clock.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { isUniqueViolation, tables, type Db, type Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import { carrierByCode, type CarrierTracking, type TrackingStatus } from './carriers.ts';

export interface FulfillmentTables {
  fulfillment_shipments: {
    id: string; order_id: string; store_id: string; direction: 'outbound' | 'return'; carrier: string; tracking_no: string; lines: string;
    status: TrackingStatus; created_at: number; delivered_at: number | null;
  };
  fulfillment_tracking_events: { id: string; shipment_id: string; status: TrackingStatus; description: string; location: string | null; at: number };
  fulfillment_shipping_templates: {
    id: string; store_id: string; name: string; is_default: number; rules: string; free_threshold_minor: number | null; excluded_provinces: string; created_at: number; updated_at: number;
  };
}

export interface Shipment {
  id: string;
  order_id: string;
  direction: 'outbound' | 'return';
  carrier: string;
  carrier_name_zh: string;
  tracking_no: string;
  lines: { line_id: string; quantity: number }[];
  status: TrackingStatus;
  created_at: number;
  delivered_at: number | null;
  events: { status: TrackingStatus; description: string; location: string | null; at: number }[];
}

export const TRACKING_JOB = 'fulfillment.tracking_event';

/** Shipments (outbound and returns) and their tracking history. */
export function createShipments(deps: { db: Db; clock: Clock; outbox: Outbox; scheduler: Scheduler; tracking: CarrierTracking }) {
  const { db, clock, outbox, scheduler, tracking } = deps;
  const q = (ex: Executor = db.kysely) => tables<FulfillmentTables>(ex);

  async function recordEvent(tx: Executor, shipmentId: string, status: TrackingStatus, description: string, location: string | null): Promise<void> {
    const at = clock.now();
    try {
      await q(tx).insertInto('fulfillment_tracking_events').values({ id: newId('trk'), shipment_id: shipmentId, status, description, location, at }).execute();
    } catch (err) {
      if (isUniqueViolation(err)) return; // a duplicate carrier callback
      throw err;
    }
    const s = await q(tx).selectFrom('fulfillment_shipments').selectAll().where('id', '=', shipmentId).executeTakeFirstOrThrow();
    await q(tx).updateTable('fulfillment_shipments').set({ status, delivered_at: status === 'delivered' ? at : s.delivered_at }).where('id', '=', shipmentId).execute();
    await outbox.emit(tx, `shipment.${status}`, shipmentId, { shipment_id: shipmentId, order_id: s.order_id, store_id: s.store_id, direction: s.direction, status });
  }

  scheduler.register(TRACKING_JOB, async (job, tx) => {
    const p = job.payload as { shipment_id: string; status: TrackingStatus; description: string; location: string | null };
    await recordEvent(tx, p.shipment_id, p.status, p.description, p.location);
  });

  async function load(rows: FulfillmentTables['fulfillment_shipments'][]): Promise<Shipment[]> {
    if (rows.length === 0) return [];
    const events = await q().selectFrom('fulfillment_tracking_events').selectAll().where('shipment_id', 'in', rows.map((r) => r.id)).orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id, order_id: r.order_id, direction: r.direction, carrier: r.carrier, carrier_name_zh: carrierByCode(r.carrier)?.name_zh ?? r.carrier, tracking_no: r.tracking_no,
      lines: JSON.parse(r.lines), status: r.status, created_at: r.created_at, delivered_at: r.delivered_at,
      events: events.filter((e) => e.shipment_id === r.id).map((e) => ({ status: e.status, description: e.description, location: e.location, at: e.at })),
    }));
  }

  return {
    /** Creates a shipment in the caller's transaction (the ship flow also moves the order). */
    async createShipment(tx: Executor, input: { order_id: string; store_id: string; direction: 'outbound' | 'return'; carrier: string; tracking_no: string; lines: { line_id: string; quantity: number }[]; province: string | null }): Promise<string> {
      const carrier = carrierByCode(input.carrier);
      if (!carrier) throw invalid('unknown_carrier', `unknown carrier ${input.carrier}`, { carrier: input.carrier });
      const trackingNo = input.tracking_no.trim().toUpperCase();
      if (!carrier.tracking_pattern.test(trackingNo)) {
        throw new AppError('validation', 'invalid_tracking_no', `${trackingNo} is not a ${carrier.name_en} tracking number`, { carrier: carrier.code }).zh(`运单号格式不符合${carrier.name_zh}规则`);
      }
      const id = newId('shp');
      const now = clock.now();
      try {
        await q(tx).insertInto('fulfillment_shipments').values({
          id, order_id: input.order_id, store_id: input.store_id, direction: input.direction, carrier: carrier.code, tracking_no: trackingNo,
          lines: JSON.stringify(input.lines), status: 'shipped', created_at: now, delivered_at: null,
        }).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'tracking_no_in_use', 'this tracking number is already used for another shipment').zh('该运单号已被使用');
        throw err;
      }
      await q(tx).insertInto('fulfillment_tracking_events').values({ id: newId('trk'), shipment_id: id, status: 'shipped', description: `商家已发货（${carrier.name_zh} ${trackingNo}）`, location: null, at: now }).execute();
      for (const step of tracking.plan({ carrier: carrier.code, tracking_no: trackingNo, province: input.province })) {
        await scheduler.schedule(tx, { kind: TRACKING_JOB, run_at: now + step.after_ms, payload: { shipment_id: id, status: step.status, description: step.description, location: step.location }, dedupe_key: `shipment:${id}:${step.status}` });
      }
      return id;
    },

    /** Carrier callbacks (a real integration) record events the same way the sandbox does. */
    recordTrackingEvent: (tx: Executor, shipmentId: string, status: TrackingStatus, description: string, location: string | null) => recordEvent(tx, shipmentId, status, description, location),

    async shipmentsOfOrder(orderId: string): Promise<Shipment[]> {
      return load(await q().selectFrom('fulfillment_shipments').selectAll().where('order_id', '=', orderId).orderBy('id').execute());
    },

    async shipment(id: string): Promise<Shipment> {
      const row = await q().selectFrom('fulfillment_shipments').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound('shipment', id);
      return (await load([row]))[0];
    },
  };
}
