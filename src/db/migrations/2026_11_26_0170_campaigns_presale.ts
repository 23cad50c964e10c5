import type { Kysely } from 'kysely';

// Campaign pre-sale (预售): the balance window of a campaign; a pre-sale offer on a registration
// (final price, deposit 定金, inflated deposit value 定金膨胀, pre-sale stock, per-buyer limit);
// the units a deposit order took (given back on expiry, forfeit or cancel) with the read model
// of what happened to its deposit (report); per-buyer counts (conditional upserts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaigns_campaigns').addColumn('balance_window_ms', 'bigint').execute(); // null = the default (24 h, at most the selling window)

  await db.schema
    .createTable('campaigns_presale_offers')
    .addColumn('id', 'text', (c) => c.primaryKey()) // cps_…
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('registration_id', 'text', (c) => c.notNull().unique())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('price_minor', 'bigint', (c) => c.notNull()) // the final pre-sale price per unit
    .addColumn('deposit_minor', 'bigint', (c) => c.notNull()) // 定金 per unit
    .addColumn('deposit_value_minor', 'bigint', (c) => c.notNull()) // what the deposit counts for (≥ deposit)
    .addColumn('stock', 'integer', (c) => c.notNull()) // pre-sale units (drawn from the registration's campaign stock)
    .addColumn('taken', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('per_buyer_limit', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_presale_offers_campaign').on('campaigns_presale_offers').columns(['campaign_id', 'store_id']).execute();

  await db.schema
    .createTable('campaigns_presale_takes')
    .addColumn('id', 'text', (c) => c.primaryKey()) // cpt_…
    .addColumn('checkout_id', 'text', (c) => c.notNull()) // the deposit checkout
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('offer_id', 'text', (c) => c.notNull())
    .addColumn('registration_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('deposit_minor', 'bigint', (c) => c.notNull()) // deposit × quantity
    .addColumn('status', 'text', (c) => c.notNull()) // held | released
    .addColumn('stage', 'text', (c) => c.notNull()) // awaiting_deposit | deposit_paid | balance_paid | forfeited | refunded | cancelled
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_presale_takes_checkout').on('campaigns_presale_takes').columns(['checkout_id']).execute();
  await db.schema.createIndex('campaigns_presale_takes_order').on('campaigns_presale_takes').columns(['order_id']).execute();
  await db.schema.createIndex('campaigns_presale_takes_campaign').on('campaigns_presale_takes').columns(['campaign_id', 'stage']).execute();

  await db.schema
    .createTable('campaigns_presale_counts')
    .addColumn('offer_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('taken', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaigns_presale_counts_pk', ['offer_id', 'buyer_id'])
    .execute();
}
