import type { Kysely } from 'kysely';

// Trade pre-sale orders: an order kind (normal | presale) and a checkout kind (order |
// presale_deposit | presale_balance: one order paid by two payments, each its own checkout);
// the pre-sale terms snapshotted on the order, its stage and the priced balance.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('trade_orders').addColumn('kind', 'text', (c) => c.notNull().defaultTo('normal')).execute();
  await db.schema.alterTable('trade_checkouts').addColumn('kind', 'text', (c) => c.notNull().defaultTo('order')).execute();

  await db.schema
    .createTable('trade_presale_orders')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('offer_id', 'text', (c) => c.notNull())
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('price_minor', 'bigint', (c) => c.notNull()) // per unit
    .addColumn('deposit_minor', 'bigint', (c) => c.notNull()) // per unit
    .addColumn('deposit_value_minor', 'bigint', (c) => c.notNull()) // per unit
    .addColumn('deposit_checkout_id', 'text', (c) => c.notNull())
    .addColumn('balance_checkout_id', 'text') // the latest balance checkout
    .addColumn('balance_from_ms', 'bigint', (c) => c.notNull())
    .addColumn('balance_to_ms', 'bigint', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull()) // awaiting_deposit | deposit_paid | balance_paid | cancelled | forfeited | refunded
    .addColumn('rules', 'text', (c) => c.notNull()) // JSON: the rules shown to the buyer (zh + en)
    .addColumn('balance_pricing', 'text') // JSON: the final amounts of the latest balance checkout
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trade_presale_orders_buyer').on('trade_presale_orders').columns(['buyer_id', 'order_id']).execute();
  await db.schema.createIndex('trade_presale_orders_campaign').on('trade_presale_orders').columns(['campaign_id', 'stage']).execute();
  await db.schema.createIndex('trade_presale_orders_deposit').on('trade_presale_orders').columns(['deposit_checkout_id']).execute();
  await db.schema.createIndex('trade_presale_orders_balance').on('trade_presale_orders').columns(['balance_checkout_id']).execute();
}
