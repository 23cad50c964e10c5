import type { Kysely } from 'kysely';

// Payments of an order paid in parts (pre-sale: deposit, then balance): which payment brought
// how much, and how much of it has been refunded, so a refund splits back over the payments.
// Orders paid by one payment have no rows here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payments_order_payments')
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('payment_id', 'text', (c) => c.notNull())
    .addColumn('part', 'text', (c) => c.notNull()) // deposit | balance
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('payments_order_payments_pk', ['order_id', 'payment_id'])
    .execute();
}
