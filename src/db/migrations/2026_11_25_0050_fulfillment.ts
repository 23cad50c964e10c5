import type { Kysely } from 'kysely';

// Shipments with their tracking history, and per-store shipping templates (运费模板).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fulfillment_shipments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull()) // outbound | return
    .addColumn('carrier', 'text', (c) => c.notNull())
    .addColumn('tracking_no', 'text', (c) => c.notNull())
    .addColumn('lines', 'text', (c) => c.notNull()) // [{line_id, quantity}]
    .addColumn('status', 'text', (c) => c.notNull()) // shipped | in_transit | out_for_delivery | delivered
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addUniqueConstraint('fulfillment_shipments_tracking', ['carrier', 'tracking_no', 'direction'])
    .execute();
  await db.schema.createIndex('fulfillment_shipments_order').on('fulfillment_shipments').column('order_id').execute();

  await db.schema
    .createTable('fulfillment_tracking_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('shipment_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('fulfillment_tracking_events_once', ['shipment_id', 'status'])
    .execute();

  await db.schema
    .createTable('fulfillment_shipping_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull()) // [{provinces: string[] | '*', first_items, first_fee_minor, additional_items, additional_fee_minor}]
    .addColumn('free_threshold_minor', 'bigint')
    .addColumn('excluded_provinces', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fulfillment_shipping_templates_store').on('fulfillment_shipping_templates').column('store_id').execute();
}
