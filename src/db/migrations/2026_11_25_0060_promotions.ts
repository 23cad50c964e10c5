import type { Kysely } from 'kysely';

// Coupon templates (store and platform) with their budget and per-buyer claim counters, the
// buyers' wallets, threshold promotions (满减), flash sales (限时抢购) with per-buyer purchase
// counters, and the redemptions a checkout holds (given back when it is cancelled).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('promotions_coupon_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull()) // store | platform
    .addColumn('store_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // fixed | threshold | percent
    .addColumn('off_minor', 'bigint')
    .addColumn('threshold_minor', 'bigint')
    .addColumn('pay_rate_bp', 'integer')
    .addColumn('cap_minor', 'bigint')
    .addColumn('applies_to', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('funder', 'text', (c) => c.notNull()) // platform | merchant | shared
    .addColumn('platform_share_bp', 'integer')
    .addColumn('stacking_group', 'text')
    .addColumn('stacks_with', 'text') // JSON array; null = engine default ['*']
    .addColumn('campaign_id', 'text')
    .addColumn('valid_from_ms', 'bigint', (c) => c.notNull())
    .addColumn('valid_to_ms', 'bigint', (c) => c.notNull())
    .addColumn('valid_days', 'integer') // valid for N days after claiming (within valid_to_ms)
    .addColumn('claim_from_ms', 'bigint', (c) => c.notNull())
    .addColumn('claim_to_ms', 'bigint', (c) => c.notNull())
    .addColumn('total_quantity', 'integer', (c) => c.notNull()) // the budget
    .addColumn('claimed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('per_buyer_limit', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // active | stopped
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('promotions_coupon_templates_store').on('promotions_coupon_templates').columns(['store_id', 'id']).execute();
  await db.schema.createIndex('promotions_coupon_templates_scope').on('promotions_coupon_templates').columns(['scope', 'status', 'id']).execute();

  await db.schema
    .createTable('promotions_coupon_claims')
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('claimed', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('promotions_coupon_claims_pk', ['template_id', 'buyer_id'])
    .execute();

  await db.schema
    .createTable('promotions_coupons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // claimed | used
    .addColumn('valid_from_ms', 'bigint', (c) => c.notNull())
    .addColumn('valid_to_ms', 'bigint', (c) => c.notNull())
    .addColumn('claimed_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('used_checkout_id', 'text')
    .execute();
  await db.schema.createIndex('promotions_coupons_buyer').on('promotions_coupons').columns(['buyer_id', 'id']).execute();
  await db.schema.createIndex('promotions_coupons_template').on('promotions_coupons').columns(['template_id', 'status']).execute();

  await db.schema
    .createTable('promotions_thresholds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull()) // store | platform
    .addColumn('store_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull()) // {kind:'tiers', tiers} | {kind:'every', step_minor, off_minor, cap_minor?}
    .addColumn('applies_to', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('funder', 'text', (c) => c.notNull())
    .addColumn('platform_share_bp', 'integer')
    .addColumn('stacking_group', 'text')
    .addColumn('stacks_with', 'text')
    .addColumn('campaign_id', 'text')
    .addColumn('valid_from_ms', 'bigint', (c) => c.notNull())
    .addColumn('valid_to_ms', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // active | stopped
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('promotions_thresholds_store').on('promotions_thresholds').columns(['store_id', 'id']).execute();
  await db.schema.createIndex('promotions_thresholds_scope').on('promotions_thresholds').columns(['scope', 'status', 'valid_to_ms']).execute();

  await db.schema
    .createTable('promotions_flash_sales')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('price_minor', 'bigint', (c) => c.notNull())
    .addColumn('flash_stock', 'integer', (c) => c.notNull())
    .addColumn('sold', 'integer', (c) => c.notNull().defaultTo(0)) // held by unpaid and paid checkouts
    .addColumn('limit_per_buyer', 'integer')
    .addColumn('start_ms', 'bigint', (c) => c.notNull())
    .addColumn('end_ms', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // active | stopped
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('promotions_flash_sales_sku').on('promotions_flash_sales').columns(['sku_id', 'end_ms']).execute();
  await db.schema.createIndex('promotions_flash_sales_store').on('promotions_flash_sales').columns(['store_id', 'id']).execute();

  await db.schema
    .createTable('promotions_flash_buyers')
    .addColumn('flash_sale_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('promotions_flash_buyers_pk', ['flash_sale_id', 'buyer_id'])
    .execute();

  await db.schema
    .createTable('promotions_redemptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('checkout_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // coupon | flash_sale
    .addColumn('ref_id', 'text', (c) => c.notNull()) // coupon id or flash sale id
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // held | released
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('released_at', 'bigint')
    .execute();
  await db.schema.createIndex('promotions_redemptions_checkout').on('promotions_redemptions').columns(['checkout_id', 'status']).execute();
}
