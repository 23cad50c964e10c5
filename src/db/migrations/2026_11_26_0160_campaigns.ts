import type { Kysely } from 'kysely';

// Platform campaigns (双11好物节): the campaign with its phase times, eligibility rules and
// platform 满减; merchants' SKU registrations with campaign price and stock (sold counted by
// conditional updates); the stock a checkout took (given back on cancel); campaign sales as an
// event-fed read model (report, rankings); reservation coupons (预约领券) with budgets.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('campaigns_campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('phase', 'text', (c) => c.notNull()) // scheduled | registration | review | warmup | selling | ended
    .addColumn('status', 'text', (c) => c.notNull()) // active | cancelled
    .addColumn('registration_start_ms', 'bigint', (c) => c.notNull())
    .addColumn('review_start_ms', 'bigint', (c) => c.notNull())
    .addColumn('warmup_start_ms', 'bigint', (c) => c.notNull())
    .addColumn('selling_start_ms', 'bigint', (c) => c.notNull())
    .addColumn('selling_end_ms', 'bigint', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull()) // JSON eligibility rules
    .addColumn('fee_rate_bp', 'integer') // reduced technical service fee; null = category rate
    .addColumn('threshold', 'text') // JSON platform 满减 config, null = none
    .addColumn('threshold_promotion_id', 'text') // promotions' platform threshold
    .addColumn('sections', 'text', (c) => c.notNull().defaultTo('[]')) // JSON main-venue sections
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('campaigns_registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('image', 'text')
    .addColumn('price_minor', 'bigint', (c) => c.notNull()) // the SKU price when registered
    .addColumn('low_30d_minor', 'bigint', (c) => c.notNull()) // the 30-day low it was checked against
    .addColumn('campaign_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('campaign_stock', 'integer', (c) => c.notNull())
    .addColumn('sold', 'integer', (c) => c.notNull().defaultTo(0)) // taken by checkouts (held or paid)
    .addColumn('status', 'text', (c) => c.notNull()) // pending | approved | rejected | withdrawn
    .addColumn('review_note', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('campaigns_registrations_sku', ['campaign_id', 'sku_id'])
    .execute();
  await db.schema.createIndex('campaigns_registrations_store').on('campaigns_registrations').columns(['store_id', 'campaign_id']).execute();
  await db.schema.createIndex('campaigns_registrations_by_sku').on('campaigns_registrations').columns(['sku_id', 'status']).execute();

  await db.schema
    .createTable('campaigns_stock_takes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('checkout_id', 'text', (c) => c.notNull())
    .addColumn('registration_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // held | released
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_stock_takes_checkout').on('campaigns_stock_takes').columns(['checkout_id']).execute();

  await db.schema
    .createTable('campaigns_sales')
    .addColumn('line_id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('goods_minor', 'bigint', (c) => c.notNull())
    .addColumn('paid_minor', 'bigint', (c) => c.notNull())
    .addColumn('platform_discount_minor', 'bigint', (c) => c.notNull())
    .addColumn('merchant_discount_minor', 'bigint', (c) => c.notNull())
    .addColumn('campaign_discount_minor', 'bigint', (c) => c.notNull()) // this campaign's own offers
    .addColumn('fee_rate_bp', 'integer', (c) => c.notNull())
    .addColumn('fee_minor', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'bigint', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_sales_campaign').on('campaigns_sales').columns(['campaign_id', 'paid_at']).execute();

  await db.schema
    .createTable('campaigns_reservation_offers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('coupon_template_id', 'text', (c) => c.notNull())
    .addColumn('budget', 'integer', (c) => c.notNull())
    .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('per_buyer_limit', 'integer', (c) => c.notNull())
    .addColumn('terms', 'text', (c) => c.notNull()) // JSON: the coupon as shown to buyers
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_reservation_offers_campaign').on('campaigns_reservation_offers').columns(['campaign_id']).execute();

  await db.schema
    .createTable('campaigns_reservation_counts')
    .addColumn('offer_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('reserved', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaigns_reservation_counts_pk', ['offer_id', 'buyer_id'])
    .execute();

  await db.schema
    .createTable('campaigns_reservations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('offer_id', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // reserved | issued
    .addColumn('coupon_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('issued_at', 'bigint')
    .execute();
  await db.schema.createIndex('campaigns_reservations_offer').on('campaigns_reservations').columns(['offer_id', 'status', 'id']).execute();
  await db.schema.createIndex('campaigns_reservations_buyer').on('campaigns_reservations').columns(['buyer_id', 'campaign_id']).execute();
}
