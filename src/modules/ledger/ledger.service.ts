import { sql } from 'kysely';
import type { Clock } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import type { Currency } from '../../lib/money.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import { ok, type Fail, type Ok } from '../../lib/result.ts';
import { isUniqueViolation, type Db, type Executor } from '../../db/index.ts';
import { CHART, REASONS, type AccountCode, type NormalSide, type TransferReason } from './chart.ts';
import type { AccountRow, LedgerRepo, TransferRow } from './ledger.repo.ts';

export interface Account {
  id: string; code: string; owner_id: string; currency: Currency; normal_side: NormalSide; must_not_go_negative: boolean;
  debits_posted_minor: number; credits_posted_minor: number;
  /** on the account's normal side: credits − debits for credit-normal accounts, debits − credits otherwise */
  balance_minor: number;
}

export interface TransferInput {
  /** Chosen by the caller and stable across retries (e.g. `deposit_refund:sto_…`): the idempotency key. */
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount_minor: number;
  currency: Currency;
  reason: TransferReason;
  /** what the money moved for (e.g. { type: 'store', id: 'sto_…' }); compared on retry */
  ref?: { type: string; id: string } | null;
  memo?: string;
  actor_id?: string | null;
}

export interface Transfer {
  id: string; debit_account_id: string; credit_account_id: string; amount_minor: number; currency: Currency; reason: string;
  ref_type: string | null; ref_id: string | null; memo: string; reverses_id: string | null; status: 'posted'; actor_id: string | null; created_at: number;
}
/** `exists`: the same id was posted before with the same fields; nothing moved this time. */
export type Posted = Transfer & { outcome: 'created' | 'exists' };

export type LedgerFailCode = 'account_not_found' | 'currency_mismatch' | 'exceeds_balance' | 'transfer_exists_with_different_fields' | 'transfer_not_found' | 'already_reversed';
export type LedgerFail = Fail<LedgerFailCode> & { message_zh?: string };
export type LedgerResult<T> = Ok<T> | LedgerFail;

export interface StatementLine {
  entry_id: string; transfer_id: string; reason: string; reason_zh: string; ref_type: string | null; ref_id: string | null; memo: string;
  /** signed on the account's normal side: positive raised the balance */
  amount_minor: number; balance_after_minor: number; currency: Currency; reverses_id: string | null; actor_id: string | null; created_at: number;
}

const TRANSFER_ID = /^[A-Za-z0-9][A-Za-z0-9_:.-]{7,127}$/;
const lfail = (code: LedgerFailCode, message: string, details?: unknown, message_zh?: string): LedgerFail =>
  ({ ok: false, code, message, details, ...(message_zh ? { message_zh } : {}) });

export const toAccount = (r: AccountRow): Account => ({
  id: r.id, code: r.code, owner_id: r.owner_id, currency: r.currency, normal_side: r.normal_side, must_not_go_negative: r.must_not_go_negative === 1,
  debits_posted_minor: r.debits_posted_minor, credits_posted_minor: r.credits_posted_minor,
  balance_minor: balanceOf(r.normal_side, r.debits_posted_minor, r.credits_posted_minor),
});
export const balanceOf = (side: NormalSide, debits: number, credits: number) => (side === 'credit' ? credits - debits : debits - credits);
const toTransfer = (r: TransferRow): Transfer => {
  const { pending_id: _p, ...t } = r;
  return { ...t, amount_minor: Number(r.amount_minor), created_at: Number(r.created_at) };
};

/** Thrown inside the savepoint to undo every write of a batch, carrying the value to return. */
class Rollback {
  constructor(readonly fail: LedgerFail) {}
}
let savepointSeq = 0;

export function createLedgerService(deps: { db: Db; repo: LedgerRepo; clock: Clock }) {
  const { db, repo, clock } = deps;

  /** All-or-nothing inside the caller's transaction: a refused transfer leaves no trace, the caller's other work stays. */
  async function inSavepoint<T>(tx: Executor, fn: () => Promise<T>): Promise<T | LedgerFail> {
    const name = sql.raw(`ledger_sp_${++savepointSeq}`);
    await sql`savepoint ${name}`.execute(tx);
    try {
      const out = await fn();
      await sql`release savepoint ${name}`.execute(tx);
      return out;
    } catch (err) {
      await sql`rollback to savepoint ${name}`.execute(tx);
      await sql`release savepoint ${name}`.execute(tx);
      if (err instanceof Rollback) return err.fail;
      // The only unique key a fresh transfer can hit is reverses_id: another reversal won the race.
      if (isUniqueViolation(err)) return lfail('already_reversed', 'this transfer has already been reversed');
      throw err;
    }
  }

  function sameFields(row: TransferRow, input: TransferInput & { reverses_id?: string | null }): string[] {
    const want: Record<string, unknown> = {
      debit_account_id: input.debit_account_id, credit_account_id: input.credit_account_id, amount_minor: input.amount_minor, currency: input.currency,
      reason: input.reason, ref_type: input.ref?.type ?? null, ref_id: input.ref?.id ?? null, reverses_id: input.reverses_id ?? null,
    };
    return Object.keys(want).filter((k) => (k === 'amount_minor' ? Number(row.amount_minor) : (row as any)[k]) !== want[k]);
  }

  async function postOne(tx: Executor, input: TransferInput & { reverses_id?: string | null }): Promise<Posted> {
    if (!TRANSFER_ID.test(input.id)) throw new Error(`ledger: transfer id must be 8–128 chars of [A-Za-z0-9_:.-], got ${JSON.stringify(input.id)}`);
    if (!Number.isSafeInteger(input.amount_minor) || input.amount_minor <= 0) throw new Error(`ledger: amount must be a positive integer of minor units, got ${input.amount_minor}`);
    if (!Object.hasOwn(REASONS, input.reason)) throw new Error(`ledger: unknown reason ${input.reason}`);
    if (input.debit_account_id === input.credit_account_id) throw new Error('ledger: a transfer needs two different accounts');
    const now = clock.now();
    const row: TransferRow = {
      id: input.id, debit_account_id: input.debit_account_id, credit_account_id: input.credit_account_id, amount_minor: input.amount_minor,
      currency: input.currency, reason: input.reason, ref_type: input.ref?.type ?? null, ref_id: input.ref?.id ?? null, memo: input.memo ?? '',
      reverses_id: input.reverses_id ?? null, status: 'posted', pending_id: null, actor_id: input.actor_id ?? null, created_at: now,
    };
    const inserted = await repo.q(tx).insertInto('ledger_transfers').values(row).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      const existing = (await repo.transferById(input.id, tx))!;
      const differs = sameFields(existing, input);
      if (differs.length) {
        throw new Rollback(lfail('transfer_exists_with_different_fields', `transfer ${input.id} was already posted with different ${differs.join(', ')}`, { id: input.id, fields: differs }));
      }
      return { ...toTransfer(existing), outcome: 'exists' };
    }
    const accounts = new Map((await repo.accountsByIds([input.debit_account_id, input.credit_account_id], tx)).map((a) => [a.id, a]));
    for (const id of [input.debit_account_id, input.credit_account_id]) {
      const a = accounts.get(id);
      if (!a) throw new Rollback(lfail('account_not_found', `ledger account ${id} does not exist`, { account_id: id }));
      if (a.currency !== input.currency) throw new Rollback(lfail('currency_mismatch', `account ${id} is in ${a.currency}, the transfer in ${input.currency}`, { account_id: id }));
    }
    // Lock order by account id, so two transfers between the same accounts never deadlock.
    const legs = ([['debit', input.debit_account_id], ['credit', input.credit_account_id]] as const).slice().sort((a, b) => (a[1] < b[1] ? -1 : 1));
    for (const [leg, accountId] of legs) {
      const totals = await repo.applyLeg(tx, leg, accountId, input.amount_minor, now);
      const a = accounts.get(accountId)!;
      if (!totals) {
        const balance = balanceOf(a.normal_side, a.debits_posted_minor, a.credits_posted_minor);
        throw new Rollback(lfail('exceeds_balance', `account ${a.code} of ${a.owner_id} holds ${balance}, less than ${input.amount_minor}`, { account_id: accountId, code: a.code, owner_id: a.owner_id, balance_minor: balance, amount_minor: input.amount_minor }, `账户余额不足（余额 ${balance} 分，需 ${input.amount_minor} 分）`));
      }
      await repo.q(tx).insertInto('ledger_entries').values({
        id: newId('len'), transfer_id: input.id, leg, account_id: accountId, amount_minor: input.amount_minor, currency: input.currency,
        balance_after_minor: balanceOf(a.normal_side, Number(totals.debits_posted_minor), Number(totals.credits_posted_minor)), created_at: now,
      }).execute();
    }
    return { ...toTransfer(row), outcome: 'created' };
  }

  async function post(ex: Executor, inputs: readonly (TransferInput & { reverses_id?: string | null })[]): Promise<LedgerResult<Posted[]>> {
    if (inputs.length === 0) throw new Error('ledger: nothing to post');
    if (new Set(inputs.map((i) => i.id)).size !== inputs.length) throw new Error('ledger: duplicate transfer ids in one batch');
    return db.transaction(async (tx) => {
      const r = await inSavepoint(tx, async () => {
        const out: Posted[] = [];
        for (const input of inputs) out.push(await postOne(tx, input));
        return out;
      });
      return Array.isArray(r) ? ok(r) : r;
    }, ex);
  }

  return {
    /** The account for (code, owner, currency), opened on first use with the chart's flags. */
    async account(ex: Executor, code: AccountCode, ownerId: string, currency: Currency = 'CNY'): Promise<Account> {
      const find = () => repo.q(ex).selectFrom('ledger_accounts').selectAll().where('code', '=', code).where('owner_id', '=', ownerId).where('currency', '=', currency).executeTakeFirst();
      const found = await find();
      if (found) return toAccount(found);
      const kind = CHART[code];
      const now = clock.now();
      await repo.q(ex).insertInto('ledger_accounts').values({
        id: newId('lac'), code, owner_id: ownerId, currency, normal_side: kind.normal_side, must_not_go_negative: kind.must_not_go_negative ? 1 : 0,
        debits_posted_minor: 0, credits_posted_minor: 0, debits_pending_minor: 0, credits_pending_minor: 0, created_at: now, updated_at: now,
      }).onConflict((oc) => oc.columns(['code', 'owner_id', 'currency']).doNothing()).execute();
      return toAccount((await find())!);
    },

    /** The account if it was ever opened (reads never open accounts). */
    async findAccount(ex: Executor, code: AccountCode, ownerId: string, currency: Currency = 'CNY'): Promise<Account | null> {
      const r = await repo.q(ex).selectFrom('ledger_accounts').selectAll().where('code', '=', code).where('owner_id', '=', ownerId).where('currency', '=', currency).executeTakeFirst();
      return r ? toAccount(r) : null;
    },

    /**
     * Posts transfers atomically: all of them or none (TigerBeetle's linked events). Each moves
     * `amount_minor` from the debit account to the credit account; entries and cached totals are
     * written in the same transaction. Re-posting an id with the same fields returns the original
     * (`outcome: 'exists'`); with different fields it fails. Refusals are values, and leave nothing behind.
     */
    post,

    /** Undoes a posted transfer with a new one in the other direction, linked by `reverses_id`; at most once. */
    async reverse(ex: Executor, input: { id: string; reverses_id: string; reason?: TransferReason; memo?: string; actor_id?: string | null }): Promise<LedgerResult<Posted>> {
      const original = await repo.transferById(input.reverses_id, ex);
      if (!original) return lfail('transfer_not_found', `transfer ${input.reverses_id} not found`, { id: input.reverses_id });
      const prior = await repo.q(ex).selectFrom('ledger_transfers').select('id').where('reverses_id', '=', original.id).executeTakeFirst();
      if (prior && prior.id !== input.id) return lfail('already_reversed', `transfer ${original.id} was already reversed by ${prior.id}`, { reversed_by: prior.id }, '该笔资金流水已冲正');
      const r = await post(ex, [{
        id: input.id, debit_account_id: original.credit_account_id, credit_account_id: original.debit_account_id, amount_minor: Number(original.amount_minor),
        currency: original.currency, reason: input.reason ?? 'reversal', ref: original.ref_type && original.ref_id ? { type: original.ref_type, id: original.ref_id } : null,
        memo: input.memo ?? '', actor_id: input.actor_id ?? null, reverses_id: original.id,
      }]);
      return r.ok ? ok(r.value[0]) : r;
    },

    async getTransfer(ex: Executor, id: string): Promise<Transfer | null> {
      const r = await repo.transferById(id, ex);
      return r ? toTransfer(r) : null;
    },

    async getAccount(ex: Executor, id: string): Promise<Account | null> {
      const [r] = await repo.accountsByIds([id], ex);
      return r ? toAccount(r) : null;
    },

    /** An account's movements, newest first, each with the balance right after it. */
    async statement(accountId: string, opts: { limit?: number; cursor?: string }, ex: Executor = db.kysely): Promise<Page<StatementLine>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      const [account] = await repo.accountsByIds([accountId], ex);
      if (!account) return { items: [], next_cursor: null };
      let query = repo.q(ex).selectFrom('ledger_entries as e').innerJoin('ledger_transfers as t', 't.id', 'e.transfer_id')
        .select(['e.id', 'e.transfer_id', 'e.leg', 'e.amount_minor', 'e.balance_after_minor', 'e.currency', 'e.created_at', 't.reason', 't.ref_type', 't.ref_id', 't.memo', 't.reverses_id', 't.actor_id'])
        .where('e.account_id', '=', accountId).orderBy('e.id', 'desc').limit(limit + 1);
      if (after !== undefined) query = query.where('e.id', '<', String(after));
      const rows = await query.execute();
      const lines = rows.map((r): StatementLine => ({
        entry_id: r.id, transfer_id: r.transfer_id, reason: r.reason, reason_zh: (REASONS as Record<string, { label_zh: string }>)[r.reason]?.label_zh ?? r.reason,
        ref_type: r.ref_type, ref_id: r.ref_id, memo: r.memo, currency: r.currency, reverses_id: r.reverses_id, actor_id: r.actor_id, created_at: Number(r.created_at),
        amount_minor: (r.leg === account.normal_side ? 1 : -1) * Number(r.amount_minor), balance_after_minor: Number(r.balance_after_minor),
      }));
      return toPage(lines, limit, (l) => l.entry_id);
    },
  };
}
export type LedgerService = ReturnType<typeof createLedgerService>;
