/**
 * What a campaign line still counts for in the report once part of it is refunded, with
 * settlement's own arithmetic (payments' settlement-math.ts), so the report keeps equalling the
 * ledger: refunds before settlement leave escrow and settlement charges its fee on what is left,
 * `applyRateBp(paid − refunded before, rate)`, and pays the platform subsidy in proportion
 * (`prorate(subsidy, base, paid)`); a refund after settlement takes back fee and subsidy in
 * proportion, cumulatively (`prorate(settled, refunded after, base)`). Discounts the ledger does
 * not see (merchant-funded, goods) follow the same proportions. Pure, tested beside.
 */
import { allocate, applyRateBp, prorate } from '../../lib/money.ts';

export interface SaleAmounts {
  quantity: number;
  goods_minor: number;
  paid_minor: number;
  platform_discount_minor: number;
  merchant_discount_minor: number;
  campaign_discount_minor: number;
  fee_rate_bp: number;
  /** Booked back in all (payments' line funds: in flight or done). */
  refunded_minor: number;
  /** The part of it refunded after the order was settled. */
  refunded_after_settlement_minor: number;
}

export interface NetAmounts {
  gmv_minor: number;
  goods_minor: number;
  fee_minor: number;
  platform_discount_minor: number;
  merchant_discount_minor: number;
  campaign_discount_minor: number;
}

export function netOfRefunds(s: SaleAmounts): NetAmounts {
  const paid = s.paid_minor, refunded = s.refunded_minor, after = s.refunded_after_settlement_minor;
  if (refunded < 0 || after < 0 || after > refunded || refunded > paid) throw new Error(`refunds ${refunded} (after settlement ${after}) do not fit a line that paid ${paid}`);
  const base = paid - (refunded - after); // what settlement charges on
  const kept = (settled: number) => settled - prorate(settled, after, base);
  const share = (amount: number) => kept(paid === 0 ? (refunded === 0 ? amount : 0) : prorate(amount, base, paid));
  return {
    gmv_minor: paid - refunded,
    goods_minor: share(s.goods_minor),
    fee_minor: kept(applyRateBp(base, s.fee_rate_bp)),
    platform_discount_minor: share(s.platform_discount_minor),
    merchant_discount_minor: share(s.merchant_discount_minor),
    campaign_discount_minor: share(s.campaign_discount_minor),
  };
}

/**
 * The whole units a refunded amount gives back: after-sales refunds units at their shares of the
 * line (`allocate(paid, [1, 1, …])`, taken in order), so k units refunded is exactly the first k
 * shares. A partial refund smaller than a unit's share (a price adjustment) gives back no unit.
 */
export function unitsRefunded(quantity: number, paidMinor: number, refundedMinor: number): number {
  if (refundedMinor <= 0 || quantity <= 0) return 0;
  if (refundedMinor >= paidMinor) return quantity;
  const shares = allocate(paidMinor, Array.from({ length: quantity }, () => 1));
  let units = 0;
  let covered = 0;
  while (units < quantity && covered + shares[units] <= refundedMinor) covered += shares[units++];
  return units;
}
