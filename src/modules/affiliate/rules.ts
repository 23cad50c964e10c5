import type { RateRow } from './affiliate.repo.ts';

/**
 * The affiliate rules that need no database, tested on their own (rules.test.ts).
 *
 * Commission rates are basis points of what the buyer paid for the line (freight share
 * included, like the technical service fee), between 1% and 50%: below 1% no creator would
 * take it, above 50% merchants have mis-typed (50 vs 5000 bp) far more often than they mean it.
 */
export const MIN_RATE_BP = 100;
export const MAX_RATE_BP = 5000;
export const PUBLIC_RATE = ''; // creator_id of the public rate in affiliate_rates

export const rateInBounds = (bp: number) => Number.isInteger(bp) && bp >= MIN_RATE_BP && bp <= MAX_RATE_BP;

/** A creator's rate among the rates valid at one moment: the creator's exclusive rate wins over the public one. */
export function pickRate(rates: readonly Pick<RateRow, 'creator_id' | 'rate_bp'>[], creatorId: string): number | null {
  const own = rates.find((r) => r.creator_id === creatorId);
  if (own) return own.rate_bp;
  return rates.find((r) => r.creator_id === PUBLIC_RATE)?.rate_bp ?? null;
}

export const offerActiveAt = (o: { starts_at: number; ends_at: number | null }, at: number) => o.starts_at <= at && (o.ends_at === null || at < o.ends_at);

/**
 * What a creator may see of an order: an id that identifies it to support but does not let
 * anyone look it up (`ord_01JD…` → `ord_01JD****9XQ2`).
 */
export function maskOrderId(id: string): string {
  if (id.length <= 12) return id;
  return `${id.slice(0, 8)}****${id.slice(-4)}`;
}

/** What a line earns (or will earn) after refunds: settlement's figure once settled, the snapshot rate before. */
export function lineCommission(l: { status: string; rate_bp: number; paid_minor: number; refunded_minor: number; settled_commission_minor: number; reversed_commission_minor: number }, applyRate: (amount: number, bp: number) => number): number {
  if (l.status === 'settled' || l.status === 'reversed') return l.settled_commission_minor - l.reversed_commission_minor;
  if (l.status === 'pending') return applyRate(l.paid_minor - l.refunded_minor, l.rate_bp);
  return 0;
}
