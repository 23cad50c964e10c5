import type { Kysely } from 'kysely';

// Trade: units of a line refunded before they were shipped (仅退款 / 极速退款 on an unshipped
// line). The merchant no longer ships them, the order counts as fully shipped without them, and
// inventory takes them back.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('trade_order_lines').addColumn('cancelled_quantity', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
