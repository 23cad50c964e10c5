import { sql, type Kysely } from 'kysely';

/**
 * Inventory, issue 3: reservations for unpaid orders (one row per caller ref, its lines as
 * JSON), a per-product available total (so "product out of stock / back in stock" is decided
 * by one row's own before/after value, race-free), balances and a note on each movement.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('inventory_stock').addColumn('product_id', 'text').execute();
  await db.schema.alterTable('inventory_movements').addColumn('on_hand_after', 'integer').execute();
  await db.schema.alterTable('inventory_movements').addColumn('reserved_after', 'integer').execute();
  await db.schema.alterTable('inventory_movements').addColumn('note', 'text').execute();
  await db.schema.createIndex('inventory_movements_store').on('inventory_movements').columns(['store_id', 'id']).execute();

  await db.schema
    .createTable('inventory_product_totals')
    .addColumn('product_id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('available', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('inventory_product_totals_non_negative', sql`available >= 0`)
    .execute();

  await db.schema
    .createTable('inventory_reservations')
    .addColumn('ref', 'text', (c) => c.primaryKey()) // the caller's id (an order id), doubles as the idempotency key
    .addColumn('status', 'text', (c) => c.notNull()) // reserved | released | sold
    .addColumn('lines', 'text', (c) => c.notNull()) // JSON [{sku_id, quantity}] sorted by sku_id
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // One-off backfill of rows created before this migration. It reads catalog_skus, which a
  // module never does at run time; a migration is the platform's, run once, before any module.
  await sql`update inventory_stock set product_id = (select s.product_id from catalog_skus s where s.id = inventory_stock.sku_id) where product_id is null`.execute(db);
  await sql`insert into inventory_product_totals (product_id, store_id, available, updated_at)
            select product_id, min(store_id), sum(on_hand - reserved), max(updated_at) from inventory_stock where product_id is not null group by product_id`.execute(db);
}
