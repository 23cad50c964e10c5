import type { Kysely } from 'kysely';

// Carts, checkouts (one combined payment), orders per store, order lines with their price
// breakdown and attribution, and the order transition log.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('trade_cart_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('attribution', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('trade_cart_items_buyer_sku', ['buyer_id', 'sku_id'])
    .execute();

  await db.schema
    .createTable('trade_checkouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // unpaid | paid | cancelled
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('order_ids', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('pay_by', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'bigint')
    .execute();
  await db.schema.createIndex('trade_checkouts_buyer').on('trade_checkouts').columns(['buyer_id', 'id']).execute();

  await db.schema
    .createTable('trade_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('checkout_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('goods_minor', 'bigint', (c) => c.notNull()) // before discounts
    .addColumn('discount_minor', 'bigint', (c) => c.notNull())
    .addColumn('shipping_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull()) // what the buyer pays for this order
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('pricing', 'text', (c) => c.notNull()) // the explained breakdown
    .addColumn('address', 'text', (c) => c.notNull()) // snapshot
    .addColumn('buyer_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'bigint')
    .addColumn('shipped_at', 'bigint')
    .addColumn('received_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('cancelled_at', 'bigint')
    .addColumn('cancel_reason', 'text')
    .execute();
  await db.schema.createIndex('trade_orders_buyer').on('trade_orders').columns(['buyer_id', 'id']).execute();
  await db.schema.createIndex('trade_orders_store').on('trade_orders').columns(['store_id', 'id']).execute();
  await db.schema.createIndex('trade_orders_checkout').on('trade_orders').column('checkout_id').execute();

  await db.schema
    .createTable('trade_order_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('image', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('goods_minor', 'bigint', (c) => c.notNull())
    .addColumn('discount_minor', 'bigint', (c) => c.notNull())
    .addColumn('shipping_minor', 'bigint', (c) => c.notNull())
    .addColumn('paid_minor', 'bigint', (c) => c.notNull()) // goods - discount + shipping share
    .addColumn('discounts', 'text', (c) => c.notNull()) // [{source_id, kind, funder, amount_minor}]
    .addColumn('fee_rate_bp', 'integer', (c) => c.notNull())
    .addColumn('no_reason_return_7d', 'integer', (c) => c.notNull())
    .addColumn('shipping_insurance', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull()) // live | video | article | share | search | feed | store | direct
    .addColumn('content_id', 'text')
    .addColumn('creator_id', 'text')
    .addColumn('campaign_id', 'text')
    .addColumn('share_chain', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('shipped_quantity', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('trade_order_lines_order').on('trade_order_lines').column('order_id').execute();

  await db.schema
    .createTable('trade_order_transitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull()) // buyer | merchant | operator | system
    .addColumn('actor_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trade_order_transitions_order').on('trade_order_transitions').columns(['order_id', 'id']).execute();
}
