import { sql, type Kysely } from 'kysely';

/**
 * Catalog, issue 3: listing compliance reviews (with their findings and the operator's
 * decision), per-SKU price history (feeds the 30-day-low price check), uploaded media, and
 * the product columns that say which review is current and why a product was delisted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('catalog_categories').addColumn('allows_efficacy_claims', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema.alterTable('catalog_products').addColumn('review_id', 'text').execute();
  await db.schema.alterTable('catalog_products').addColumn('delisted_reason', 'text').execute(); // merchant | brand_revoked | qualification_expired
  await db.schema.alterTable('catalog_products').addColumn('delisted_note', 'text').execute();
  await db.schema.alterTable('catalog_products').addColumn('delisted_at', 'bigint').execute();

  await db.schema
    .createTable('catalog_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull()) // create | edit | price | sku_added | relist
    .addColumn('decision', 'text', (c) => c.notNull()) // pass | review | reject (the automatic one)
    .addColumn('status', 'text', (c) => c.notNull()) // passed | pending | approved | rejected | superseded
    .addColumn('findings', 'text', (c) => c.notNull()) // JSON Finding[]
    .addColumn('snapshot', 'text', (c) => c.notNull()) // JSON: what was reviewed (title, brand, prices …)
    .addColumn('decided_by', 'text') // operator account id; null for automatic decisions
    .addColumn('decided_at', 'bigint')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('catalog_reviews_queue').on('catalog_reviews').columns(['status', 'id']).execute();
  await db.schema.createIndex('catalog_reviews_product').on('catalog_reviews').columns(['product_id', 'id']).execute();

  await db.schema
    .createTable('catalog_price_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('price_minor', 'bigint', (c) => c.notNull())
    .addColumn('list_price_minor', 'bigint')
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('catalog_price_history_sku').on('catalog_price_history').columns(['sku_id', 'created_at']).execute();
  // SKUs created before this migration start their history at their creation.
  await db
    .insertInto('catalog_price_history')
    .columns(['id', 'sku_id', 'product_id', 'store_id', 'price_minor', 'list_price_minor', 'actor_id', 'created_at'])
    .expression(
      db.selectFrom('catalog_skus').select(() => [
        sql<string>`'ph_' || id`.as('id'),
        'id as sku_id', 'product_id', 'store_id', 'price_minor', 'list_price_minor', sql<null>`null`.as('actor_id'), 'created_at',
      ]),
    )
    .execute();

  await db.schema
    .createTable('catalog_media')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('catalog_media_store').on('catalog_media').columns(['store_id', 'id']).execute();
}
