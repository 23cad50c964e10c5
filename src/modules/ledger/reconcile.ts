import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { balanceOf } from './ledger.service.ts';
import type { NormalSide } from './chart.ts';

/**
 * Recomputes everything the ledger caches from its entries and proves three things:
 *  1. every transfer balances: exactly one debit and one credit entry, each for the transfer's
 *     amount, on the transfer's accounts (and no entry belongs to no transfer);
 *  2. every account's cached posted totals equal the sums of its entries;
 *  3. no must-not-go-negative account is negative (by its cache or by its entries).
 * Reads in the caller's executor: pass a transaction for a consistent snapshot on PostgreSQL
 * (repeatable read); on the embedded engine every read is already consistent.
 */
export type ReconcileProblem =
  | { kind: 'transfer_unbalanced'; transfer_id: string; amount_minor: number; debit_minor: number | null; credit_minor: number | null }
  | { kind: 'entry_on_wrong_account'; transfer_id: string }
  | { kind: 'orphan_entry'; entry_id: string; transfer_id: string }
  | { kind: 'entries_do_not_net_to_zero'; net_minor: number }
  | { kind: 'cached_totals_mismatch'; account_id: string; cached: { debits: number; credits: number }; derived: { debits: number; credits: number } }
  | { kind: 'negative_balance'; account_id: string; code: string; owner_id: string; balance_minor: number };

export interface ReconcileReport {
  ok: boolean;
  transfers: number;
  entries: number;
  accounts: number;
  problems: ReconcileProblem[];
}

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function reconcile(ex: Executor): Promise<ReconcileReport> {
  const problems: ReconcileProblem[] = [];
  const counts = await sql<{ transfers: unknown; entries: unknown; accounts: unknown; net: unknown }>`
    select (select count(*) from ledger_transfers) as transfers,
           (select count(*) from ledger_entries) as entries,
           (select count(*) from ledger_accounts) as accounts,
           (select cast(coalesce(sum(case when leg = 'debit' then amount_minor else -amount_minor end), 0) as bigint) from ledger_entries) as net`.execute(ex);
  const c = counts.rows[0];
  if (Number(c.net) !== 0) problems.push({ kind: 'entries_do_not_net_to_zero', net_minor: Number(c.net) });

  const unbalanced = await sql<{ id: string; amount_minor: unknown; d_amount: unknown; c_amount: unknown; d_ok: unknown; c_ok: unknown }>`
    select t.id, t.amount_minor, d.amount_minor as d_amount, c.amount_minor as c_amount,
           case when d.account_id = t.debit_account_id then 1 else 0 end as d_ok,
           case when c.account_id = t.credit_account_id then 1 else 0 end as c_ok
    from ledger_transfers t
    left join ledger_entries d on d.transfer_id = t.id and d.leg = 'debit'
    left join ledger_entries c on c.transfer_id = t.id and c.leg = 'credit'
    where d.id is null or c.id is null or d.amount_minor <> t.amount_minor or c.amount_minor <> t.amount_minor
       or d.account_id <> t.debit_account_id or c.account_id <> t.credit_account_id`.execute(ex);
  for (const r of unbalanced.rows) {
    const amount = Number(r.amount_minor);
    if (n(r.d_amount) === amount && n(r.c_amount) === amount) problems.push({ kind: 'entry_on_wrong_account', transfer_id: r.id });
    else problems.push({ kind: 'transfer_unbalanced', transfer_id: r.id, amount_minor: amount, debit_minor: n(r.d_amount), credit_minor: n(r.c_amount) });
  }

  const orphans = await sql<{ id: string; transfer_id: string }>`
    select e.id, e.transfer_id from ledger_entries e left join ledger_transfers t on t.id = e.transfer_id where t.id is null`.execute(ex);
  for (const r of orphans.rows) problems.push({ kind: 'orphan_entry', entry_id: r.id, transfer_id: r.transfer_id });

  const accounts = await sql<{
    id: string; code: string; owner_id: string; normal_side: NormalSide; must_not_go_negative: unknown; cd: unknown; cc: unknown; ed: unknown; ec: unknown;
  }>`
    select a.id, a.code, a.owner_id, a.normal_side, a.must_not_go_negative, a.debits_posted_minor as cd, a.credits_posted_minor as cc,
           cast(coalesce(sum(case when e.leg = 'debit' then e.amount_minor else 0 end), 0) as bigint) as ed,
           cast(coalesce(sum(case when e.leg = 'credit' then e.amount_minor else 0 end), 0) as bigint) as ec
    from ledger_accounts a left join ledger_entries e on e.account_id = a.id
    group by a.id, a.code, a.owner_id, a.normal_side, a.must_not_go_negative, a.debits_posted_minor, a.credits_posted_minor`.execute(ex);
  for (const a of accounts.rows) {
    const cached = { debits: Number(a.cd), credits: Number(a.cc) };
    const derived = { debits: Number(a.ed), credits: Number(a.ec) };
    if (cached.debits !== derived.debits || cached.credits !== derived.credits) problems.push({ kind: 'cached_totals_mismatch', account_id: a.id, cached, derived });
    if (Number(a.must_not_go_negative) === 1) {
      const balance = Math.min(balanceOf(a.normal_side, cached.debits, cached.credits), balanceOf(a.normal_side, derived.debits, derived.credits));
      if (balance < 0) problems.push({ kind: 'negative_balance', account_id: a.id, code: a.code, owner_id: a.owner_id, balance_minor: balance });
    }
  }
  return { ok: problems.length === 0, transfers: Number(c.transfers), entries: Number(c.entries), accounts: Number(c.accounts), problems };
}
