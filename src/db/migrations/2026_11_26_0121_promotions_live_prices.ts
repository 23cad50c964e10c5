import type { Kysely } from 'kysely';

// Live-room prices (module promotions): a price and its own stock for one SKU in one room, valid
// only while the room is live (live_from_ms..live_to_ms, set when the room starts and ends) and
// only for orders attributed to the room. Per-buyer counters like flash sales.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('promotions_live_prices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('price_minor', 'bigint', (c) => c.notNull())
    .addColumn('live_stock', 'integer', (c) => c.notNull())
    .addColumn('sold', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('limit_per_buyer', 'integer')
    .addColumn('live_from_ms', 'bigint') // null until the room goes live
    .addColumn('live_to_ms', 'bigint') // null while live
    .addColumn('status', 'text', (c) => c.notNull()) // active | stopped
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('promotions_live_prices_room_sku').on('promotions_live_prices').columns(['room_id', 'sku_id']).unique().execute();

  await db.schema
    .createTable('promotions_live_buyers')
    .addColumn('live_price_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('promotions_live_buyers_pk', ['live_price_id', 'buyer_id'])
    .execute();
  await upCouponRoom(db);
}

// (continued) A coupon template scoped to a live room is claimed only in the room, while it is
// live (the live module checks the room; promotions refuses the plain claim and hides it).
export async function upCouponRoom(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('promotions_coupon_templates').addColumn('live_room_id', 'text').execute();
}
