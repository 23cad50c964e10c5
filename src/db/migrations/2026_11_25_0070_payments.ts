import { sql, type Kysely } from 'kysely';

// Payments (src/modules/payments): one payment per checkout, refunds with their lines, the money
// held per order and line until settlement, payouts, flags for operators, notification log and
// reconciliation runs. Money is integer fen (bigint), time epoch ms (bigint).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payments_payments')
    .addColumn('id', 'text', (c) => c.primaryKey()) // pay_…
    .addColumn('out_trade_no', 'text', (c) => c.notNull().unique()) // = checkout id: the provider's idempotency key
    .addColumn('checkout_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | paid | closed
    .addColumn('outcome', 'text') // paid | refunding | refunded (paid for a cancelled checkout)
    .addColumn('channel', 'text') // native | jsapi
    .addColumn('code_url', 'text')
    .addColumn('prepay_id', 'text')
    .addColumn('notify_url', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('transaction_id', 'text')
    .addColumn('payer_total_minor', 'bigint')
    .addColumn('paid_at', 'bigint')
    .addColumn('close_state', 'text') // requested | closed | paid
    .addColumn('close_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('close_next_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('payments_payments_amount_positive', sql`amount_minor > 0`)
    .execute();
  await db.schema.createIndex('payments_payments_close').on('payments_payments').columns(['close_state', 'close_next_at']).execute();
  await db.schema.createIndex('payments_payments_created').on('payments_payments').columns(['created_at']).execute();

  await db.schema
    .createTable('payments_refunds')
    .addColumn('id', 'text', (c) => c.primaryKey()) // rfd_…
    .addColumn('out_refund_no', 'text', (c) => c.notNull().unique()) // the caller's: the idempotency key
    .addColumn('payment_id', 'text', (c) => c.notNull())
    .addColumn('out_trade_no', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text') // null for the automatic refund of a cancelled checkout
    .addColumn('store_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull()) // order | cancelled_checkout
    .addColumn('phase', 'text', (c) => c.notNull()) // before_settlement | after_settlement | cancelled_checkout
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | processing | succeeded | closed | abnormal | rejected
    .addColumn('provider_refund_id', 'text')
    .addColumn('transfer_ids', 'text', (c) => c.notNull().defaultTo('[]')) // the reservation's ledger transfers (voided if it fails)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addCheckConstraint('payments_refunds_amount_positive', sql`amount_minor > 0`)
    .execute();
  await db.schema.createIndex('payments_refunds_due').on('payments_refunds').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('payments_refunds_order').on('payments_refunds').columns(['order_id']).execute();

  await db.schema
    .createTable('payments_refund_lines')
    .addColumn('refund_id', 'text', (c) => c.notNull())
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    // after settlement: the parts taken back from fee revenue, commission and subsidy
    .addColumn('fee_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('commission_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('subsidy_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('payments_refund_lines_pk', ['refund_id', 'line_id'])
    .execute();

  await db.schema
    .createTable('payments_order_funds')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull())
    .addColumn('checkout_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('paid_minor', 'bigint', (c) => c.notNull())
    .addColumn('refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0)) // requested or paid back (not failed)
    .addColumn('status', 'text', (c) => c.notNull()) // held | settled
    .addColumn('settled_at', 'bigint')
    .addColumn('merchant_minor', 'bigint') // what settlement credited, for the statement
    .addColumn('fee_minor', 'bigint')
    .addColumn('commission_minor', 'bigint')
    .addColumn('subsidy_minor', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('payments_order_funds_refund_cap', sql`refunded_minor >= 0 and refunded_minor <= paid_minor`)
    .execute();
  await db.schema.createIndex('payments_order_funds_store').on('payments_order_funds').columns(['store_id', 'status']).execute();

  await db.schema
    .createTable('payments_line_funds')
    .addColumn('line_id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('paid_minor', 'bigint', (c) => c.notNull()) // the buyer's payment for the line, freight share included
    .addColumn('refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('fee_rate_bp', 'integer', (c) => c.notNull())
    .addColumn('creator_id', 'text')
    .addColumn('subsidy_minor', 'bigint', (c) => c.notNull()) // platform-funded discount parts at purchase
    .addColumn('settled_base_minor', 'bigint') // paid − refunded at settlement
    .addColumn('settled_fee_minor', 'bigint')
    .addColumn('settled_commission_minor', 'bigint')
    .addColumn('settled_subsidy_minor', 'bigint')
    .addColumn('post_refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0)) // refunded after settlement
    .addColumn('reversed_fee_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('reversed_commission_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('reversed_subsidy_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addCheckConstraint('payments_line_funds_refund_cap', sql`refunded_minor >= 0 and refunded_minor <= paid_minor`)
    .execute();
  await db.schema.createIndex('payments_line_funds_order').on('payments_line_funds').columns(['order_id']).execute();

  await db.schema
    .createTable('payments_payouts')
    .addColumn('id', 'text', (c) => c.primaryKey()) // pyo_…
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('bank_name', 'text', (c) => c.notNull())
    .addColumn('account_name', 'text', (c) => c.notNull())
    .addColumn('account_no', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // submitted
    .addColumn('requested_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('payments_payouts_amount_positive', sql`amount_minor > 0`)
    .execute();
  await db.schema.createIndex('payments_payouts_store').on('payments_payouts').columns(['store_id', 'id']).execute();

  await db.schema
    .createTable('payments_flags')
    .addColumn('id', 'text', (c) => c.primaryKey()) // pfl_…
    .addColumn('kind', 'text', (c) => c.notNull()) // amount_mismatch | unknown_payment | unknown_refund | …
    .addColumn('ref', 'text', (c) => c.notNull()) // out_trade_no or out_refund_no
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique()) // a retried notification raises no second flag
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | resolved
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolved_by', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('payments_flags_status').on('payments_flags').columns(['status', 'id']).execute();

  await db.schema
    .createTable('payments_notifications')
    .addColumn('notification_id', 'text', (c) => c.primaryKey())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('ref', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('times_received', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('payments_reconcile_runs')
    .addColumn('id', 'text', (c) => c.primaryKey()) // rcn_…
    .addColumn('status', 'text', (c) => c.notNull()) // requested | done | failed
    .addColumn('ok', 'integer')
    .addColumn('report', 'text')
    .addColumn('claimed_until', 'bigint')
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('payments_reconcile_runs_status').on('payments_reconcile_runs').columns(['status', 'id']).execute();
}
