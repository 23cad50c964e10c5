import type { Kysely } from 'kysely';

// Campaigns: refunds in the sales read model (what payments has booked back per line, the part
// after settlement, the whole units that covers) so the report and rankings are net of refunds;
// a per-buyer limit at the campaign price on a registration, counted per buyer by conditional
// upserts and given back on cancel / expiry (the stock take records whose allowance it used).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaigns_sales').addColumn('refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('campaigns_sales').addColumn('refunded_after_settlement_minor', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('campaigns_sales').addColumn('refunded_units', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('campaigns_sales_order').on('campaigns_sales').columns(['order_id']).execute();

  await db.schema.alterTable('campaigns_registrations').addColumn('limit_per_buyer', 'integer').execute(); // null = no limit
  await db.schema.alterTable('campaigns_stock_takes').addColumn('buyer_id', 'text').execute(); // set when the take counts against the buyer's limit

  await db.schema
    .createTable('campaigns_buyer_counts')
    .addColumn('registration_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('taken', 'integer', (c) => c.notNull()) // units at the campaign price, held or paid
    .addPrimaryKeyConstraint('campaigns_buyer_counts_pk', ['registration_id', 'buyer_id'])
    .execute();
}
