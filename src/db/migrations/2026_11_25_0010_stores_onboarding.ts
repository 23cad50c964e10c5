import { sql, type Kysely } from 'kysely';

// Merchant onboarding (src/modules/stores): application state on the store, qualification
// documents, review decisions, rename history, brand certification with platform-wide quotas,
// linked content accounts and the store-score inputs. Deposits live in the ledger.
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, type] of [['submitted_at', 'bigint'], ['review_note', 'text'], ['status_reason', 'text'], ['closed_at', 'bigint'], ['score_computed_at', 'bigint']] as const) {
    await db.schema.alterTable('stores_stores').addColumn(name, type).execute();
  }
  await db.schema.alterTable('stores_stores').addColumn('score_provisional', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.createIndex('stores_stores_review_queue').on('stores_stores').columns(['status', 'submitted_at', 'id']).execute();
  await db.schema.createIndex('stores_stores_uscc').on('stores_stores').column('uscc').execute();

  await db.schema
    .createTable('stores_qualifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // legal_rep_id | business_license | food_license | cosmetics_filing
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('valid_from_ms', 'bigint', (c) => c.notNull())
    .addColumn('valid_to_ms', 'bigint') // exclusive; null = long-term (长期)
    .addColumn('file_url', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // active | superseded | expired
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stores_qualifications_store').on('stores_qualifications').columns(['store_id', 'kind', 'status']).execute();

  await db.schema
    .createTable('stores_review_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull()) // store | brand | deposit
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('reason', 'text')
    .addColumn('actor_role', 'text', (c) => c.notNull()) // merchant | operator | system (expiry jobs)
    .addColumn('actor_id', 'text') // account id; null for the system
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stores_review_decisions_store').on('stores_review_decisions').columns(['store_id', 'id']).execute();

  await db.schema
    .createTable('stores_name_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('old_name', 'text', (c) => c.notNull())
    .addColumn('new_name', 'text', (c) => c.notNull())
    .addColumn('counted', 'integer', (c) => c.notNull()) // 1: counts toward the rename limit (the store had opened)
    .addColumn('actor_id', 'text')
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stores_name_history_store').on('stores_name_history').columns(['store_id', 'changed_at']).execute();

  await db.schema
    .createTable('stores_brand_certs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('company_key', 'text', (c) => c.notNull()) // the applying company's USCC
    .addColumn('brand_name', 'text', (c) => c.notNull())
    .addColumn('brand_key', 'text', (c) => c.notNull())
    .addColumn('badge', 'text', (c) => c.notNull()) // brand_owned | brand_authorized
    .addColumn('tm_registration_number', 'text', (c) => c.notNull())
    .addColumn('tm_nice_class', 'integer', (c) => c.notNull())
    .addColumn('tm_status', 'text', (c) => c.notNull()) // R | TM
    .addColumn('tm_owner_name', 'text', (c) => c.notNull())
    .addColumn('tm_owner_id', 'text', (c) => c.notNull()) // the owner's USCC
    .addColumn('tm_valid_from_ms', 'bigint', (c) => c.notNull())
    .addColumn('tm_valid_to_ms', 'bigint', (c) => c.notNull())
    .addColumn('tm_file_url', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull()) // JSON: authorisation links, owner first
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending_review | certified | rejected | revoked
    .addColumn('status_reason', 'text')
    .addColumn('expires_at_ms', 'bigint')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stores_brand_certs_store').on('stores_brand_certs').columns(['store_id', 'status']).execute();
  await db.schema.createIndex('stores_brand_certs_queue').on('stores_brand_certs').columns(['status', 'id']).execute();
  await db.schema.createIndex('stores_brand_certs_brand').on('stores_brand_certs').columns(['brand_key', 'status']).execute();

  // Badges held per brand (scope 'owned') and per brand and company (scope 'authorized:<uscc>'):
  // taken by one conditional update, so concurrent approvals cannot pass a limit.
  await db.schema
    .createTable('stores_brand_quota')
    .addColumn('brand_key', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stores_brand_quota_pk', ['brand_key', 'scope'])
    .addCheckConstraint('stores_brand_quota_used', sql`used >= 0`)
    .execute();

  await db.schema
    .createTable('stores_linked_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // channel (视频号) | article (公众号)
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // active | unlinked
    .addColumn('actor_id', 'text')
    .addColumn('linked_at', 'bigint', (c) => c.notNull())
    .addColumn('unlinked_at', 'bigint')
    .execute();
  await db.schema.createIndex('stores_linked_accounts_store').on('stores_linked_accounts').columns(['store_id', 'kind', 'status']).execute();
  // One content account sells for one store at a time.
  await db.schema.createIndex('stores_linked_accounts_active').unique().on('stores_linked_accounts').columns(['kind', 'external_id']).where(sql<boolean>`status = 'active'`).execute();

  // Inputs of the daily store score; fed by trade/fulfilment/after-sales later, set by tests and the seed today.
  await db.schema
    .createTable('stores_score_inputs')
    .addColumn('store_id', 'text', (c) => c.primaryKey())
    .addColumn('orders', 'integer', (c) => c.notNull())
    .addColumn('orders_shipped_within_48h', 'integer', (c) => c.notNull())
    .addColumn('rating_count', 'integer', (c) => c.notNull())
    .addColumn('rating_sum', 'integer', (c) => c.notNull())
    .addColumn('after_sales_requests', 'integer', (c) => c.notNull())
    .addColumn('after_sales_answered_within_48h', 'integer', (c) => c.notNull())
    .addColumn('merchant_fault_refunds', 'integer', (c) => c.notNull())
    .addColumn('arbitrations_lost', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
