import { sql, type Kysely } from 'kysely';

// After-sales: requests (refund only / return & refund / exchange) with their step log,
// platform arbitration (纠纷单), buyer guarantee claims (保障单) and the refunds handed to payments.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('aftersales_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull()) // refund_only | return_refund | exchange
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('evidence', 'text', (c) => c.notNull().defaultTo('[]')) // [url]
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull()) // what the buyer asked for (0 for an exchange)
    .addColumn('refund_amount_minor', 'bigint') // what was agreed, once approved
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull()) // 1 until a terminal status: at most one per line
    .addColumn('instant', 'integer', (c) => c.notNull().defaultTo(0)) // 极速退款 (nothing shipped yet)
    .addColumn('shipping_insurance', 'integer', (c) => c.notNull().defaultTo(0)) // the line's 运费险 flag, snapshotted
    .addColumn('proposal', 'text') // the merchant's open proposal {kind, type?, amount_minor?, note}
    .addColumn('merchant_reason', 'text')
    .addColumn('deadline_at', 'bigint')
    .addColumn('return_shipment_id', 'text')
    .addColumn('return_delivered_at', 'bigint')
    .addColumn('replacement_shipment_id', 'text')
    .addColumn('close_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('aftersales_requests_line').on('aftersales_requests').columns(['line_id', 'id']).execute();
  await db.schema.createIndex('aftersales_requests_one_open').on('aftersales_requests').column('line_id').unique().where(sql.ref('active'), '=', 1).execute();
  await db.schema.createIndex('aftersales_requests_buyer').on('aftersales_requests').columns(['buyer_id', 'id']).execute();
  await db.schema.createIndex('aftersales_requests_store').on('aftersales_requests').columns(['store_id', 'active', 'id']).execute();
  await db.schema.createIndex('aftersales_requests_order').on('aftersales_requests').columns(['order_id', 'active']).execute();
  await db.schema.createIndex('aftersales_requests_return').on('aftersales_requests').column('return_shipment_id').execute();

  // Who did what, when: every step of a request or claim, shown to buyer and merchant alike.
  await db.schema
    .createTable('aftersales_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull()) // asr_… request or gcl_… claim
    .addColumn('actor_kind', 'text', (c) => c.notNull()) // buyer | merchant | operator | system
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('aftersales_steps_subject').on('aftersales_steps').columns(['subject_id', 'id']).execute();

  await db.schema
    .createTable('aftersales_disputes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull()) // a request may come before the platform again after a later rejection
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | decided
    .addColumn('buyer_statement', 'text', (c) => c.notNull())
    .addColumn('decision', 'text') // buyer | merchant
    .addColumn('decision_reason', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('refund_amount_minor', 'bigint')
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .execute();
  await db.schema.createIndex('aftersales_disputes_request').on('aftersales_disputes').column('request_id').execute();
  await db.schema.createIndex('aftersales_disputes_queue').on('aftersales_disputes').columns(['status', 'id']).execute();

  await db.schema
    .createTable('aftersales_claims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // counterfeit | damaged | shipping_insurance
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text') // the return a shipping-insurance payout belongs to
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // submitted | refunding | paid | rejected
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('evidence', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('appraisal_fee_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('damage_ratio_bp', 'integer')
    .addColumn('amount_minor', 'bigint') // what the buyer gets, once decided
    .addColumn('funding', 'text') // merchant_balance | merchant_debt | platform | refund
    .addColumn('decided_by', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('deadline_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .execute();
  await db.schema.createIndex('aftersales_claims_buyer').on('aftersales_claims').columns(['buyer_id', 'id']).execute();
  await db.schema.createIndex('aftersales_claims_store').on('aftersales_claims').columns(['store_id', 'id']).execute();
  await db.schema.createIndex('aftersales_claims_line').on('aftersales_claims').columns(['line_id', 'kind']).execute();
  await db.schema.createIndex('aftersales_claims_queue').on('aftersales_claims').columns(['kind', 'status', 'id']).execute();
  await db.schema.createIndex('aftersales_claims_request').on('aftersales_claims').column('request_id').unique().execute();

  // Refunds handed to payments (for a request or a damage claim); the id is the out_refund_no.
  await db.schema
    .createTable('aftersales_refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull()) // a retry after a refused refund is a new row
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | processing | succeeded | failed
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_until', 'bigint')
    .addColumn('provider_refund_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('aftersales_refunds_subject').on('aftersales_refunds').column('subject_id').execute();
  await db.schema.createIndex('aftersales_refunds_due').on('aftersales_refunds').columns(['status', 'next_attempt_at']).execute();
}
