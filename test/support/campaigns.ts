import { PLATFORM_OWNER } from '../../src/modules/ledger/index.ts';
import type { TestApp } from './app.ts';

/**
 * What the ledger says about some orders, for "the campaign report equals the ledger" checks:
 * paid in (payments received into escrow), booked back to buyers (everything credited to refunds
 * payable for these orders: from escrow before settlement; merchant, fee and commission parts after),
 * the fee kept (settlement fees less refund fee reversals) and the platform subsidy kept (settlement
 * subsidies less their reversals). Failed refunds' reversals (`void:…`) count against the transfer they undo.
 */
export async function ledgerOfOrders(t: TestApp, orderIds: readonly string[]): Promise<{ paid: number; refunded: number; gmv: number; fee: number; subsidy: number }> {
  const k = t.ctx.db.kysely;
  const payable = (await t.ctx.ledger.findAccount(k, 'buyer_refunds_payable', PLATFORM_OWNER))?.id ?? '';
  const rows = orderIds.length
    ? await k.selectFrom('ledger_transfers').select(['id', 'reason', 'amount_minor', 'credit_account_id', 'debit_account_id', 'reverses_id']).where('ref_type', '=', 'order').where('ref_id', 'in', [...orderIds]).execute()
    : [];
  const voids = orderIds.length ? await k.selectFrom('ledger_transfers').select(['reverses_id', 'amount_minor']).where('id', 'like', 'void:%').execute() : [];
  const voided = new Set(voids.map((v) => v.reverses_id));
  const live = rows.filter((r) => !voided.has(r.id) && !r.reverses_id);
  const total = (pred: (r: (typeof rows)[number]) => boolean) => live.filter(pred).reduce((s, r) => s + Number(r.amount_minor), 0);
  const paid = total((r) => r.reason === 'payment_received');
  const refunded = total((r) => r.credit_account_id === payable);
  return {
    paid, refunded, gmv: paid - refunded,
    fee: total((r) => r.reason === 'settlement_fee') - total((r) => r.reason === 'refund_fee_reversal'),
    subsidy: total((r) => r.reason === 'settlement_subsidy') - total((r) => r.reason === 'refund_subsidy_reversal'),
  };
}
