import { AppError, invalid } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Ctx } from './context.ts';
import type { PayoutRow } from './payments.repo.ts';

export interface WithdrawalInput {
  amount_minor: number;
  bank_name: string;
  account_name: string;
  /** Digits only, 12–30 of them (mainland bank card / account numbers). */
  account_no: string;
}

export interface Payout {
  id: string;
  store_id: string;
  amount_minor: number;
  currency: 'CNY';
  bank_name: string;
  account_name: string;
  /** Masked: only the last 4 digits are shown. */
  account_no_masked: string;
  status: PayoutRow['status'];
  requested_by: string | null;
  created_at: number;
}

const present = (r: PayoutRow): Payout => ({
  id: r.id, store_id: r.store_id, amount_minor: Number(r.amount_minor), currency: r.currency, bank_name: r.bank_name, account_name: r.account_name,
  account_no_masked: `**** ${r.account_no.slice(-4)}`, status: r.status, requested_by: r.requested_by, created_at: Number(r.created_at),
});

/**
 * Withdrawals: the merchant's available balance goes to its bank account. The payout record
 * and the ledger transfer (available → payouts) commit together; the ledger's conditional
 * balance update refuses more than is available, even for concurrent requests. The bank
 * transfer itself is out of scope (status `submitted`).
 */
export function createPayouts(ctx: Ctx) {
  const { db, repo, clock, postings, outbox } = ctx;
  return {
    async withdraw(storeId: string, input: WithdrawalInput, actorId: string | null): Promise<Payout> {
      if (!Number.isSafeInteger(input.amount_minor) || input.amount_minor <= 0) throw invalid('invalid_amount', 'amount_minor must be a positive integer of fen');
      if (!/^\d{12,30}$/.test(input.account_no)) throw invalid('invalid_bank_account', 'account_no must be 12–30 digits');
      return db.transaction(async (tx) => {
        const row: PayoutRow = {
          id: newId('pyo'), store_id: storeId, amount_minor: input.amount_minor, currency: 'CNY', bank_name: input.bank_name.trim(), account_name: input.account_name.trim(),
          account_no: input.account_no, status: 'submitted', requested_by: actorId, created_at: clock.now(),
        };
        await repo.q(tx).insertInto('payments_payouts').values(row).execute();
        const r = await postings.payout(tx, { payout_id: row.id, store_id: storeId, amount_minor: input.amount_minor, actor_id: actorId });
        if (!r.ok) {
          throw new AppError('business_rule', 'insufficient_balance', `the available balance is ${r.available_minor}, less than ${input.amount_minor}`, { available_minor: r.available_minor })
            .zh('可提现余额不足');
        }
        await outbox.emit(tx, 'payment.payout_submitted', row.id, { payout_id: row.id, store_id: storeId, amount_minor: row.amount_minor });
        return present(row);
      });
    },

    async payouts(storeId: string, opts: { limit?: number; cursor?: string }): Promise<Page<Payout>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let s = repo.q().selectFrom('payments_payouts').selectAll().where('store_id', '=', storeId).orderBy('id', 'desc').limit(limit + 1);
      if (after !== undefined) s = s.where('id', '<', String(after));
      return toPage((await s.execute()).map(present), limit, (p) => p.id);
    },
  };
}
