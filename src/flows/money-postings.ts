import type { Executor } from '../db/index.ts';
import { PLATFORM_OWNER, type AccountCode, type LedgerModule, type TransferInput, type TransferReason } from '../modules/ledger/index.ts';
import type { MoneyPostings, RefundPosting, SettlementPosting } from '../modules/payments/index.ts';

/**
 * Where trade money moves in the ledger: payments decides when and how much, this decides
 * which accounts (the payments module receives it as its `postings` port, wired in app/wire.ts).
 * Every transfer id is derived from what it is for, so a retried step posts nothing twice.
 *
 *   payment lands          clearing → escrow(store), per order
 *   … on a cancelled checkout   clearing → refunds payable
 *   pre-sale deposit       clearing → escrow(store) as `pay:<order>:deposit`; the balance is `pay:<order>`
 *   deposit forfeited      escrow → merchant available (deposit − fee); escrow → fee revenue
 *   settlement             escrow → merchant available (paid − fee − commission)
 *                          escrow → fee revenue; escrow → commission payable(creator)
 *                          subsidy expense → merchant available (platform-funded discounts)
 *   refund requested       before settlement: escrow → refunds payable
 *                          after: merchant available → refunds payable (less fee and commission),
 *                                 fee revenue → refunds payable, commission payable → refunds payable,
 *                                 merchant available → subsidy expense (the subsidy goes back);
 *                                 a merchant balance that falls short is advanced (merchant owes)
 *   refund paid            refunds payable → clearing
 *   refund failed          the request's transfers reversed
 *   withdrawal             merchant available → payouts
 *
 * Net effect of a refund: escrow (or the merchant, fee and commission) → clearing, as the issue says.
 */
export function createMoneyPostings(ledger: LedgerModule): MoneyPostings {
  const account = async (tx: Executor, code: AccountCode, owner: string) => (await ledger.account(tx, code, owner)).id;

  async function post(tx: Executor, transfers: TransferInput[]) {
    const live = transfers.filter((t) => t.amount_minor > 0);
    if (live.length === 0) return { ok: true as const, ids: [] as string[] };
    const r = await ledger.post(tx, live);
    return r.ok ? { ok: true as const, ids: live.map((t) => t.id) } : r;
  }
  async function mustPost(tx: Executor, transfers: TransferInput[]): Promise<string[]> {
    const r = await post(tx, transfers);
    if (!r.ok) throw new Error(`ledger refused ${transfers.map((t) => t.id).join(', ')}: ${r.code} ${r.message}`);
    return r.ids;
  }
  const t = (id: string, debit: string, credit: string, amount: number, reason: TransferReason, ref: { type: string; id: string }, memo = ''): TransferInput =>
    ({ id, debit_account_id: debit, credit_account_id: credit, amount_minor: amount, currency: 'CNY', reason, ref, memo });

  async function settlement(tx: Executor, s: SettlementPosting): Promise<void> {
    const escrow = await account(tx, 'platform_escrow', s.store_id);
    const available = await account(tx, 'merchant_available', s.store_id);
    const ref = { type: 'order', id: s.order_id };
    const transfers = [
      t(`settle:${s.order_id}:merchant`, escrow, available, s.merchant_minor, 'settlement', ref),
      t(`settle:${s.order_id}:fee`, escrow, await account(tx, 'platform_fee_revenue', PLATFORM_OWNER), s.fee_minor, 'settlement_fee', ref),
    ];
    for (const c of s.commissions) {
      transfers.push(t(`settle:${s.order_id}:commission:${c.creator_id}`, escrow, await account(tx, 'creator_commission_payable', c.creator_id), c.amount_minor, 'settlement_commission', ref));
    }
    if (s.subsidy_minor > 0) transfers.push(t(`settle:${s.order_id}:subsidy`, await account(tx, 'platform_subsidy_expense', PLATFORM_OWNER), available, s.subsidy_minor, 'settlement_subsidy', ref));
    await mustPost(tx, transfers);
  }

  async function refundReserved(tx: Executor, r: RefundPosting): Promise<string[]> {
    const payable = await account(tx, 'buyer_refunds_payable', PLATFORM_OWNER);
    const ref = { type: 'order', id: r.order_id };
    if (r.phase === 'before_settlement') return mustPost(tx, [t(`refund:${r.refund_id}`, await account(tx, 'platform_escrow', r.store_id), payable, r.amount_minor, 'refund_requested', ref)]);
    const commission = r.commissions.reduce((s, c) => s + c.amount_minor, 0);
    const platformParts = [t(`refund:${r.refund_id}:fee`, await account(tx, 'platform_fee_revenue', PLATFORM_OWNER), payable, r.fee_minor, 'refund_fee_reversal', ref)];
    for (const c of r.commissions) {
      platformParts.push(t(`refund:${r.refund_id}:commission:${c.creator_id}`, await account(tx, 'creator_commission_payable', c.creator_id), payable, c.amount_minor, 'refund_commission_reversal', ref));
    }
    const subsidy = await account(tx, 'platform_subsidy_expense', PLATFORM_OWNER);
    const merchantParts = (from: string, reason: TransferReason) => [
      t(`refund:${r.refund_id}:merchant`, from, payable, r.amount_minor - r.fee_minor - commission, reason, ref),
      t(`refund:${r.refund_id}:subsidy`, from, subsidy, r.subsidy_minor, 'refund_subsidy_reversal', ref),
    ];
    const first = await post(tx, [...platformParts, ...merchantParts(await account(tx, 'merchant_available', r.store_id), 'refund_requested')]);
    if (first.ok) return first.ids;
    if (first.code !== 'exceeds_balance' || (first.details as { code?: string } | undefined)?.code !== 'merchant_available') throw new Error(`ledger refused refund ${r.refund_id}: ${first.code} ${first.message}`);
    // The merchant withdrew what it must give back: the platform advances it and the merchant owes it.
    return mustPost(tx, [...platformParts, ...merchantParts(await account(tx, 'merchant_compensation_owed', r.store_id), 'refund_advance')]);
  }

  return {
    async paymentReceived(tx, p) {
      const clearing = await account(tx, 'buyer_payments_clearing', PLATFORM_OWNER);
      const transfers: TransferInput[] = [];
      for (const o of p.orders) transfers.push(t(o.part === 'deposit' ? `pay:${o.order_id}:deposit` : `pay:${o.order_id}`, clearing, await account(tx, 'platform_escrow', o.store_id), o.amount_minor, 'payment_received', { type: 'order', id: o.order_id }, p.payment_id));
      await mustPost(tx, transfers);
    },
    async paymentToRefund(tx, p) {
      await mustPost(tx, [t(`pay_refund:${p.payment_id}`, await account(tx, 'buyer_payments_clearing', PLATFORM_OWNER), await account(tx, 'buyer_refunds_payable', PLATFORM_OWNER), p.amount_minor, 'payment_to_refund', { type: 'payment', id: p.payment_id }, p.refund_id)]);
    },
    settlement,
    async depositForfeited(tx, f) {
      const escrow = await account(tx, 'platform_escrow', f.store_id);
      const ref = { type: 'order', id: f.order_id };
      await mustPost(tx, [
        t(`forfeit:${f.order_id}:merchant`, escrow, await account(tx, 'merchant_available', f.store_id), f.merchant_minor, 'presale_deposit_forfeited', ref),
        t(`forfeit:${f.order_id}:fee`, escrow, await account(tx, 'platform_fee_revenue', PLATFORM_OWNER), f.fee_minor, 'settlement_fee', ref),
      ]);
    },
    refundReserved,
    async refundPaid(tx, r) {
      await mustPost(tx, [t(`refund_paid:${r.refund_id}`, await account(tx, 'buyer_refunds_payable', PLATFORM_OWNER), await account(tx, 'buyer_payments_clearing', PLATFORM_OWNER), r.amount_minor, 'refund_paid', { type: 'refund', id: r.refund_id })]);
    },
    async refundVoided(tx, r) {
      for (const id of r.transfer_ids) {
        const v = await ledger.reverse(tx, { id: `void:${id}`, reverses_id: id, memo: `refund ${r.refund_id} failed` });
        if (!v.ok && v.code !== 'already_reversed') throw new Error(`ledger refused to void ${id}: ${v.code} ${v.message}`);
      }
    },
    async payout(tx, p) {
      const available = await ledger.account(tx, 'merchant_available', p.store_id);
      const r = await ledger.post(tx, [{ ...t(`payout:${p.payout_id}`, available.id, await account(tx, 'merchant_payouts', p.store_id), p.amount_minor, 'payout', { type: 'payout', id: p.payout_id }), actor_id: p.actor_id }]);
      if (r.ok) return { ok: true };
      if (r.code === 'exceeds_balance') return { ok: false, available_minor: (r.details as { balance_minor: number }).balance_minor };
      throw new Error(`ledger refused payout ${p.payout_id}: ${r.code} ${r.message}`);
    },
    async escrowBalances(ex, storeIds) {
      const out = new Map<string, number>();
      for (const s of storeIds) out.set(s, (await ledger.findAccount(ex, 'platform_escrow', s))?.balance_minor ?? 0);
      return out;
    },
    async platformBalances(ex) {
      return {
        clearing_minor: (await ledger.findAccount(ex, 'buyer_payments_clearing', PLATFORM_OWNER))?.balance_minor ?? 0,
        refunds_payable_minor: (await ledger.findAccount(ex, 'buyer_refunds_payable', PLATFORM_OWNER))?.balance_minor ?? 0,
      };
    },
    ledgerReconcile: () => ledger.reconcile(),
  };
}
