import type { Kysely } from 'kysely';

// Analytics (src/modules/analytics): read models fed by domain events and by analytics.track.
// analytics_lines: one row per paid order line (attribution copied from the line), the source
// of GMV/orders/buyers; analytics_events: views and clicks on content, live rooms and products.
// `day` is the calendar day in Asia/Shanghai (YYYY-MM-DD). Money fen (bigint), time epoch ms.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('analytics_lines')
    .addColumn('line_id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('content_id', 'text')
    .addColumn('creator_id', 'text')
    .addColumn('campaign_id', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('paid_minor', 'bigint', (c) => c.notNull())
    .addColumn('refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('paid_at', 'bigint', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('order_status', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('analytics_lines_store_day').on('analytics_lines').columns(['store_id', 'day']).execute();
  await db.schema.createIndex('analytics_lines_creator_day').on('analytics_lines').columns(['creator_id', 'day']).execute();
  await db.schema.createIndex('analytics_lines_order').on('analytics_lines').columns(['order_id']).execute();

  await db.schema
    .createTable('analytics_events')
    .addColumn('id', 'text', (c) => c.primaryKey()) // ane_…
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique()) // the caller's event id: tracking twice counts once
    .addColumn('kind', 'text', (c) => c.notNull()) // view | product_click | like | share | comment
    .addColumn('store_id', 'text')
    .addColumn('creator_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('content_id', 'text')
    .addColumn('product_id', 'text')
    .addColumn('viewer_key', 'text', (c) => c.notNull()) // account id or an anonymous device id
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('analytics_events_store_day').on('analytics_events').columns(['store_id', 'day']).execute();
  await db.schema.createIndex('analytics_events_creator_day').on('analytics_events').columns(['creator_id', 'day']).execute();
}
