import { sql, type Kysely } from 'kysely';

// Affiliate (src/modules/affiliate): the pool of products merchants offer to creators (优选联盟),
// the commission rates with their validity (history kept, so a line is paid at the rate valid
// when it was bought), creators' selections (history kept too) and one commission row per
// creator-attributed order line. Money is integer fen (bigint), rates basis points, time epoch ms.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('affiliate_offers')
    .addColumn('id', 'text', (c) => c.primaryKey()) // aof_…
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull().unique()) // one offer per product; re-offering reopens it
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull()) // product snapshot for browsing the pool
    .addColumn('image', 'text')
    .addColumn('price_minor', 'bigint', (c) => c.notNull()) // the lowest SKU price when offered
    .addColumn('rate_bp', 'integer', (c) => c.notNull()) // the current public rate (history in affiliate_rates)
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint') // null: open-ended
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('affiliate_offers_rate_bounds', sql`rate_bp >= 0 and rate_bp <= 10000`)
    .execute();
  await db.schema.createIndex('affiliate_offers_store').on('affiliate_offers').columns(['store_id', 'id']).execute();
  await db.schema.createIndex('affiliate_offers_rate').on('affiliate_offers').columns(['rate_bp', 'id']).execute();

  // Every rate an offer ever had: creator_id '' is the public rate, otherwise a creator's exclusive rate.
  await db.schema
    .createTable('affiliate_rates')
    .addColumn('id', 'text', (c) => c.primaryKey()) // afr_…
    .addColumn('offer_id', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('rate_bp', 'integer', (c) => c.notNull())
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('valid_to', 'bigint') // null: current
    .addCheckConstraint('affiliate_rates_bounds', sql`rate_bp >= 0 and rate_bp <= 10000`)
    .execute();
  await db.schema.createIndex('affiliate_rates_offer').on('affiliate_rates').columns(['offer_id', 'creator_id', 'valid_from']).execute();

  await db.schema
    .createTable('affiliate_selections')
    .addColumn('id', 'text', (c) => c.primaryKey()) // asl_…
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('offer_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('selected_at', 'bigint', (c) => c.notNull())
    .addColumn('removed_at', 'bigint') // null: selected now
    .execute();
  await db.schema.createIndex('affiliate_selections_creator').on('affiliate_selections').columns(['creator_id', 'product_id', 'selected_at']).execute();
  // At most one current selection per creator and product (a concurrent double tap selects once).
  await db.schema.createIndex('affiliate_selections_current').on('affiliate_selections').columns(['creator_id', 'product_id']).unique().where(sql.ref('removed_at'), 'is', null).execute();
  await db.schema.createIndex('affiliate_selections_store').on('affiliate_selections').columns(['store_id']).execute();

  await db.schema
    .createTable('affiliate_commissions')
    .addColumn('line_id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('offer_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('content_id', 'text')
    .addColumn('paid_minor', 'bigint', (c) => c.notNull())
    .addColumn('refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rate_bp', 'integer', (c) => c.notNull()) // snapshot at purchase; 0 when not eligible
    .addColumn('ineligible_reason', 'text') // not_in_pool | offer_inactive | not_selected
    .addColumn('order_status', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | settled | reversed | none
    .addColumn('settled_commission_minor', 'bigint', (c) => c.notNull().defaultTo(0)) // as settlement posted it
    .addColumn('reversed_commission_minor', 'bigint', (c) => c.notNull().defaultTo(0)) // taken back by refunds after settlement
    .addColumn('paid_at', 'bigint', (c) => c.notNull())
    .addColumn('settled_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('affiliate_commissions_creator').on('affiliate_commissions').columns(['creator_id', 'paid_at']).execute();
  await db.schema.createIndex('affiliate_commissions_store').on('affiliate_commissions').columns(['store_id', 'creator_id']).execute();
  await db.schema.createIndex('affiliate_commissions_order').on('affiliate_commissions').columns(['order_id']).execute();
}
