import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Page } from '../../lib/page.ts';
import type { Executor } from '../../db/index.ts';
import { PLATFORM_OWNER, type LedgerFail, type Posted, type StatementLine, type TransferReason } from '../ledger/index.ts';
import { depositFor, type DepositQuote } from './rules/deposits.ts';
import { moveStore, recordDecision, storeOr404, type StoresDeps } from './stores.context.ts';
import { STORE_EVENTS } from './stores.events.ts';
import type { StoreRow, StoreStatus } from './stores.repo.ts';

export interface DepositView {
  currency: 'CNY';
  /** what the table asks of this store now (subject type, main category, brand badge) */
  required_minor: number;
  required_source: DepositQuote['source'];
  required_category_code: string | null;
  /** the deposit the platform holds for the store (its ledger account) */
  balance_minor: number;
  shortfall_minor: number;
}

const PAYABLE: readonly StoreStatus[] = ['awaiting_deposit', 'open', 'restricted', 'suspended'];

function ledgerRefusal(f: LedgerFail): AppError {
  if (f.code === 'exceeds_balance') {
    return new AppError('business_rule', 'insufficient_deposit', 'the deduction is larger than the deposit held', f.details).zh('扣除金额超过店铺保证金余额。');
  }
  if (f.code === 'transfer_exists_with_different_fields') {
    return new AppError('conflict', 'payment_reference_reused', 'this payment reference was already used for a different movement', f.details).zh('该支付流水号已用于另一笔资金变动。');
  }
  throw new Error(`ledger refused a deposit movement: ${f.code} ${f.message}`);
}

/**
 * Deposits (保证金): the amount comes from the configurable table (rules/deposits.ts); the money
 * only ever moves as ledger transfers between the store's payment clearing account, the deposit
 * the platform holds for it, and the platform's penalty income. The balance is the ledger's.
 */
export function createDepositsService(deps: StoresDeps) {
  const { db, repo, clock, outbox, ledger, config } = deps;

  async function quote(ex: Executor, store: StoreRow): Promise<DepositQuote> {
    const brandCertified = (await repo.certifiedCerts(store.id, ex)).length > 0;
    return depositFor(config.depositTable, { subjectType: store.subject_type, categoryCode: store.main_category_code, brandCertified });
  }

  async function view(ex: Executor, store: StoreRow): Promise<DepositView> {
    const q = await quote(ex, store);
    const held = await ledger.findAccount(ex, 'store_deposit_held', store.id);
    const balance = held?.balance_minor ?? 0;
    return {
      currency: 'CNY', required_minor: q.amount_minor, required_source: q.source, required_category_code: q.category_code,
      balance_minor: balance, shortfall_minor: Math.max(0, q.amount_minor - balance),
    };
  }

  async function changed(tx: Executor, storeId: string, posted: Posted): Promise<number> {
    const held = await ledger.findAccount(tx, 'store_deposit_held', storeId);
    const balance = held?.balance_minor ?? 0;
    await outbox.emit(tx, STORE_EVENTS.depositChanged, storeId, {
      store_id: storeId, transfer_id: posted.id, reason: posted.reason, amount_minor: posted.amount_minor, balance_minor: balance, currency: posted.currency,
    });
    return balance;
  }

  return {
    quote,
    view: async (storeId: string) => view(db.kysely, await storeOr404(repo, db.kysely, storeId)),

    /**
     * Money the merchant paid into its deposit (`transfer_id` = the payment's id, so a replayed
     * notification moves nothing twice). A store awaiting its deposit opens once the balance
     * covers what the table asks; later payments are top-ups.
     */
    async recordPayment(storeId: string, input: { transfer_id: string; amount_minor: number; actor_id: string | null; memo?: string }, outer?: Executor) {
      return db.transaction(async (tx) => {
        let store = await storeOr404(repo, tx, storeId, true);
        const earlier = await ledger.getTransfer(tx, input.transfer_id);
        if (!earlier && !PAYABLE.includes(store.status)) {
          throw new AppError('business_rule', 'deposit_not_due', `a store that is ${store.status} pays no deposit`).zh('当前店铺状态无需缴纳保证金。');
        }
        const clearing = await ledger.account(tx, 'merchant_payment_clearing', storeId);
        const held = await ledger.account(tx, 'store_deposit_held', storeId);
        const reason = (earlier?.reason ?? (store.status === 'awaiting_deposit' ? 'deposit_payment' : 'deposit_top_up')) as TransferReason;
        const r = await ledger.post(tx, [{
          id: input.transfer_id, debit_account_id: clearing.id, credit_account_id: held.id, amount_minor: input.amount_minor, currency: 'CNY',
          reason, ref: { type: 'store', id: storeId }, memo: input.memo ?? '', actor_id: input.actor_id,
        }]);
        if (!r.ok) throw ledgerRefusal(r);
        const posted = r.value[0];
        if (posted.outcome === 'created') {
          const balance = await changed(tx, storeId, posted);
          if (store.status === 'awaiting_deposit' && balance >= (await quote(tx, store)).amount_minor) {
            store = await moveStore(deps, tx, store, 'deposit_settled', { actor_role: 'system', actor_id: null }, { opened_at: clock.now() });
          }
        }
        return { transfer: posted, deposit: await view(tx, store), store };
      }, outer);
    },

    /** An operator deducts a penalty from the deposit (never below zero: the ledger refuses). */
    async deductPenalty(storeId: string, input: { amount_minor: number; reason: string; penalty_ref?: string | null; operator_id: string }) {
      return db.transaction(async (tx) => {
        const store = await storeOr404(repo, tx, storeId, true);
        if (store.status === 'closed') throw new AppError('business_rule', 'store_closed', 'the store is closed and its deposit refunded').zh('店铺已关闭，保证金已退还。');
        const held = await ledger.account(tx, 'store_deposit_held', storeId);
        const income = await ledger.account(tx, 'platform_penalty_income', PLATFORM_OWNER);
        const id = input.penalty_ref ? `deposit_penalty:${storeId}:${input.penalty_ref}` : newId('ltr');
        const r = await ledger.post(tx, [{
          id, debit_account_id: held.id, credit_account_id: income.id, amount_minor: input.amount_minor, currency: 'CNY',
          reason: 'deposit_penalty', ref: { type: 'store', id: storeId }, memo: input.reason, actor_id: input.operator_id,
        }]);
        if (!r.ok) throw ledgerRefusal(r);
        const posted = r.value[0];
        if (posted.outcome === 'created') {
          await changed(tx, storeId, posted);
          await recordDecision(deps, tx, {
            store_id: storeId, subject: 'deposit', subject_id: posted.id, decision: 'deposit_penalty', from_status: store.status, to_status: store.status,
            reason: input.reason, actor_role: 'operator', actor_id: input.operator_id,
          });
        }
        return { transfer: posted, deposit: await view(tx, store) };
      });
    },

    /** On closure: everything held goes back to the merchant's payment clearing, once (the id is per store). */
    async refundAll(tx: Executor, store: StoreRow, actorId: string | null): Promise<Posted | null> {
      const held = await ledger.findAccount(tx, 'store_deposit_held', store.id);
      if (!held || held.balance_minor <= 0) return null;
      const clearing = await ledger.account(tx, 'merchant_payment_clearing', store.id);
      const r = await ledger.post(tx, [{
        id: `deposit_refund:${store.id}`, debit_account_id: held.id, credit_account_id: clearing.id, amount_minor: held.balance_minor, currency: 'CNY',
        reason: 'deposit_refund', ref: { type: 'store', id: store.id }, memo: 'store closed', actor_id: actorId,
      }]);
      if (!r.ok) throw ledgerRefusal(r);
      if (r.value[0].outcome === 'created') await changed(tx, store.id, r.value[0]);
      return r.value[0];
    },

    async statement(storeId: string, page: { limit?: number; cursor?: string }): Promise<Page<StatementLine>> {
      const held = await ledger.findAccount(db.kysely, 'store_deposit_held', storeId);
      return held ? ledger.statement(held.id, page) : { items: [], next_cursor: null };
    },
  };
}
export type DepositsService = ReturnType<typeof createDepositsService>;
