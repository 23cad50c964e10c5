import { tables, type Db, type Executor } from '../../db/index.ts';
import type { Currency } from '../../lib/money.ts';
import type { NormalSide } from './chart.ts';

export interface AccountRow {
  id: string; code: string; owner_id: string; currency: Currency; normal_side: NormalSide; must_not_go_negative: number;
  debits_posted_minor: number; credits_posted_minor: number; debits_pending_minor: number; credits_pending_minor: number;
  created_at: number; updated_at: number;
}
export interface TransferRow {
  id: string; debit_account_id: string; credit_account_id: string; amount_minor: number; currency: Currency; reason: string;
  ref_type: string | null; ref_id: string | null; memo: string; reverses_id: string | null; status: 'posted'; pending_id: string | null;
  actor_id: string | null; created_at: number;
}
export interface EntryRow {
  id: string; transfer_id: string; leg: 'debit' | 'credit'; account_id: string; amount_minor: number; currency: Currency;
  balance_after_minor: number; created_at: number;
}
export interface LedgerTables {
  ledger_accounts: AccountRow;
  ledger_transfers: TransferRow;
  ledger_entries: EntryRow;
}

type Totals = { debits_posted_minor: number; credits_posted_minor: number };

/** The only code that touches ledger_* tables. */
export function createLedgerRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<LedgerTables>(ex);
  // The balance updates are the ledger's hot path (checkout will post through them): written once
  // as SQL, each a single conditional statement — the WHERE clause is the overdraft check, so two
  // concurrent transfers can never both spend the same balance, whatever the engine's locking.
  const debit = db.prepared<Totals>(
    `update ledger_accounts set debits_posted_minor = debits_posted_minor + ?, updated_at = ?
     where id = ? and (must_not_go_negative = 0 or normal_side = 'debit' or credits_posted_minor - debits_posted_minor >= ?)
     returning debits_posted_minor, credits_posted_minor`,
  );
  const credit = db.prepared<Totals>(
    `update ledger_accounts set credits_posted_minor = credits_posted_minor + ?, updated_at = ?
     where id = ? and (must_not_go_negative = 0 or normal_side = 'credit' or debits_posted_minor - credits_posted_minor >= ?)
     returning debits_posted_minor, credits_posted_minor`,
  );
  const transferById = db.prepared<TransferRow>('select * from ledger_transfers where id = ?');
  return {
    q,
    /** Adds `amount` to one side of an account; undefined when that would overdraw a must-not-go-negative account. */
    applyLeg: (ex: Executor, leg: 'debit' | 'credit', accountId: string, amount: number, now: number) =>
      (leg === 'debit' ? debit : credit).first(ex, [amount, now, accountId, amount]),
    transferById: (id: string, ex: Executor = db.kysely) => transferById.first(ex, [id]),
    accountsByIds: (ids: readonly string[], ex: Executor = db.kysely) =>
      ids.length ? q(ex).selectFrom('ledger_accounts').selectAll().where('id', 'in', ids).execute() : Promise.resolve([] as AccountRow[]),
  };
}
export type LedgerRepo = ReturnType<typeof createLedgerRepo>;
