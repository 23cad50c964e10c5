import { sql, type Kysely } from 'kysely';

// The double-entry ledger (src/modules/ledger): accounts with cached posted totals,
// append-only transfers (the caller's id is the idempotency key) and their two entries.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ledger_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull()) // chart.ts
    .addColumn('owner_id', 'text', (c) => c.notNull()) // store id, or 'platform'
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('normal_side', 'text', (c) => c.notNull()) // debit | credit
    .addColumn('must_not_go_negative', 'integer', (c) => c.notNull())
    .addColumn('debits_posted_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_posted_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    // Reserved for two-phase (pending → posted | voided) transfers; always 0 until then.
    .addColumn('debits_pending_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_pending_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('ledger_accounts_identity', ['code', 'owner_id', 'currency'])
    .addCheckConstraint('ledger_accounts_totals_non_negative', sql`debits_posted_minor >= 0 and credits_posted_minor >= 0 and debits_pending_minor >= 0 and credits_pending_minor >= 0`)
    // Backstop only: the conditional balance update refuses such transfers before this fires.
    .addCheckConstraint(
      'ledger_accounts_must_not_go_negative',
      sql`must_not_go_negative = 0 or (normal_side = 'credit' and credits_posted_minor >= debits_posted_minor) or (normal_side = 'debit' and debits_posted_minor >= credits_posted_minor)`,
    )
    .execute();
  await db.schema.createIndex('ledger_accounts_owner').on('ledger_accounts').columns(['owner_id', 'code']).execute();

  await db.schema
    .createTable('ledger_transfers')
    .addColumn('id', 'text', (c) => c.primaryKey()) // chosen by the caller: the idempotency key
    .addColumn('debit_account_id', 'text', (c) => c.notNull())
    .addColumn('credit_account_id', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull()) // chart.ts REASONS
    .addColumn('ref_type', 'text')
    .addColumn('ref_id', 'text')
    .addColumn('memo', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reverses_id', 'text', (c) => c.unique()) // a transfer is reversed at most once
    .addColumn('status', 'text', (c) => c.notNull()) // posted (pending | voided reserved for two-phase)
    .addColumn('pending_id', 'text') // reserved: the pending transfer a post/void resolves
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('ledger_transfers_amount_positive', sql`amount_minor > 0`)
    .addCheckConstraint('ledger_transfers_two_accounts', sql`debit_account_id <> credit_account_id`)
    .execute();
  await db.schema.createIndex('ledger_transfers_ref').on('ledger_transfers').columns(['ref_type', 'ref_id']).execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'text', (c) => c.primaryKey()) // len_…, sortable: statement order
    .addColumn('transfer_id', 'text', (c) => c.notNull())
    .addColumn('leg', 'text', (c) => c.notNull()) // debit | credit
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('balance_after_minor', 'bigint', (c) => c.notNull()) // the account's balance (normal side) right after
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('ledger_entries_leg', ['transfer_id', 'leg'])
    .addCheckConstraint('ledger_entries_amount_positive', sql`amount_minor > 0`)
    .execute();
  await db.schema.createIndex('ledger_entries_account').on('ledger_entries').columns(['account_id', 'id']).execute();
}
