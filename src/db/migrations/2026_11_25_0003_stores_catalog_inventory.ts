import { sql, type Kysely } from 'kysely';

// Foundation versions of the stores, catalog and inventory tables (grown by later migrations).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stores_stores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('subject_type', 'text', (c) => c.notNull()) // individual | enterprise
    .addColumn('status', 'text', (c) => c.notNull()) // draft | in_review | awaiting_deposit | open | restricted | suspended | closed
    .addColumn('company_name', 'text', (c) => c.notNull())
    .addColumn('trade_name', 'text')
    .addColumn('uscc', 'text')
    .addColumn('main_category_code', 'text')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('logo_url', 'text')
    .addColumn('score_tenths', 'integer', (c) => c.notNull().defaultTo(800))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('opened_at', 'bigint')
    .execute();
  await db.schema.createIndex('stores_stores_status').on('stores_stores').columns(['status', 'id']).execute();

  await db.schema
    .createTable('catalog_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text')
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('is_leaf', 'integer', (c) => c.notNull())
    .addColumn('fee_rate_bp', 'integer', (c) => c.notNull())
    .addColumn('deposit_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('required_attributes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('required_qualifications', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('no_reason_return_7d', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('shipping_insurance', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('catalog_products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('subtitle', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('brand', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('images', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull()) // draft | in_review | live | rejected | delisted
    .addColumn('sales', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('published_at', 'bigint')
    .execute();
  await db.schema.createIndex('catalog_products_store').on('catalog_products').columns(['store_id', 'id']).execute();
  await db.schema.createIndex('catalog_products_status').on('catalog_products').columns(['status', 'id']).execute();

  await db.schema
    .createTable('catalog_skus')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull()) // JSON {"颜色":"黑色","尺码":"M"}
    .addColumn('price_minor', 'bigint', (c) => c.notNull())
    .addColumn('list_price_minor', 'bigint')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('barcode', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // active | disabled
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('catalog_skus_product').on('catalog_skus').column('product_id').execute();

  await db.schema
    .createTable('inventory_stock')
    .addColumn('sku_id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('on_hand', 'integer', (c) => c.notNull())
    .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('inventory_stock_non_negative', sql`on_hand >= 0 and reserved >= 0 and reserved <= on_hand`)
    .execute();

  await db.schema
    .createTable('inventory_movements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('delta_on_hand', 'integer', (c) => c.notNull())
    .addColumn('delta_reserved', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull()) // initial | adjust | import | reserve | release | sale
    .addColumn('ref', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inventory_movements_sku').on('inventory_movements').columns(['sku_id', 'id']).execute();
}
