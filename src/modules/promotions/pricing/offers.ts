/**
 * Coupons and threshold promotions reduced to one shape, an Offer: who it is for (scope),
 * what it stacks with, who pays for it, and a quote — how much it takes off given the
 * eligible amount. The discount stages only ever see Offers.
 */
import { applyRateBp } from '../../../lib/money.ts';
import { couponProblems, promotionProblems, type Problem } from './offer-rules.ts';
import type { Applicability, CartLine, Coupon, DiscountStage, Funding, PricingPolicy, ThresholdPromotion } from './pricing.types.ts';

export type Quote =
  | { ok: true; amount_minor: number; details: Record<string, unknown> }
  | { ok: false; code: 'threshold_not_met'; details: Record<string, unknown> };

export interface Offer {
  source_id: string;
  source_kind: DiscountStage;
  store_id: string | null;
  group: string;
  stacks_with: readonly string[];
  funding: Funding;
  campaign_id: string | null;
  valid_from_ms: number;
  valid_to_ms: number;
  applies_to: Applicability | undefined;
  problems: Problem[];
  /** `basis` decides thresholds; `current` is what is left to discount on the eligible lines. */
  quote: (basis_minor: number, current_minor: number) => Quote;
}

const notMet = (threshold: number, basis: number, extra: Record<string, unknown> = {}): Quote => ({
  ok: false,
  code: 'threshold_not_met',
  details: { threshold_minor: threshold, basis_minor: basis, short_minor: threshold - basis, ...extra },
});

function capped(amount: number, cap: number | undefined, by: string, details: Record<string, unknown>): Quote {
  if (cap !== undefined && amount > cap) return { ok: true, amount_minor: cap, details: { ...details, capped_by: by, cap_minor: cap, uncapped_minor: amount } };
  return { ok: true, amount_minor: amount, details };
}

export function couponOffer(c: Coupon, policy: PricingPolicy): Offer {
  const source_kind: DiscountStage = c.scope === 'store' ? 'store_coupon' : 'platform_coupon';
  const quote = (basis: number, current: number): Quote => {
    const threshold = c.threshold_minor ?? 0;
    if (basis < threshold) return notMet(threshold, basis);
    if (c.kind === 'percent') {
      const off = applyRateBp(current, 10000 - (c.pay_rate_bp ?? 10000));
      return capped(off, c.cap_minor, 'coupon_cap', { pay_rate_bp: c.pay_rate_bp, threshold_minor: threshold });
    }
    return capped(c.off_minor ?? 0, policy.max_fixed_coupon_off_minor, 'max_fixed', { off_minor: c.off_minor, threshold_minor: threshold });
  };
  return base(c, c.coupon_id, source_kind, couponProblems(c), quote);
}

export function promotionOffer(p: ThresholdPromotion): Offer {
  const source_kind: DiscountStage = p.scope === 'store' ? 'store_threshold' : 'platform_threshold';
  const r = p.rule;
  const quote = (basis: number): Quote => {
    if (r.kind === 'every') {
      const times = Math.floor(basis / r.step_minor);
      if (times === 0) return notMet(r.step_minor, basis);
      return capped(times * r.off_minor, r.cap_minor, 'every_cap', { step_minor: r.step_minor, off_minor: r.off_minor, times });
    }
    const reached = r.tiers.filter((t) => t.threshold_minor <= basis);
    const next = r.tiers.find((t) => t.threshold_minor > basis);
    const hint = next ? { next_tier: { threshold_minor: next.threshold_minor, off_minor: next.off_minor, short_minor: next.threshold_minor - basis } } : {};
    if (reached.length === 0) return notMet(r.tiers[0].threshold_minor, basis, hint);
    const tier = reached[reached.length - 1];
    return { ok: true, amount_minor: tier.off_minor, details: { tier_threshold_minor: tier.threshold_minor, tier_off_minor: tier.off_minor, ...hint } };
  };
  return base(p, p.promotion_id, source_kind, promotionProblems(p), quote);
}

function base(o: Coupon | ThresholdPromotion, source_id: string, source_kind: DiscountStage, problems: Problem[], quote: Offer['quote']): Offer {
  return {
    source_id,
    source_kind,
    store_id: o.scope === 'store' ? (o.store_id ?? null) : null,
    group: o.stacking_group ?? source_kind,
    stacks_with: o.stacks_with ?? ['*'],
    funding: { funder: o.funder, platform_share_bp: o.platform_share_bp },
    campaign_id: o.campaign_id ?? null,
    valid_from_ms: o.valid_from_ms,
    valid_to_ms: o.valid_to_ms,
    applies_to: o.applies_to,
    problems,
    quote,
  };
}

const anyOf = (list: readonly string[] | undefined, v: string | undefined) => !list || list.length === 0 || (v !== undefined && list.includes(v));

export function inScope(offer: Offer, line: CartLine): boolean {
  if (offer.store_id !== null && line.store_id !== offer.store_id) return false;
  const a = offer.applies_to;
  if (!a) return true;
  return anyOf(a.store_ids, line.store_id) && anyOf(a.category_ids, line.category_id) && anyOf(a.product_ids, line.product_id)
    && anyOf(a.campaign_ids, line.campaign_id) && !(a.exclude_product_ids ?? []).includes(line.product_id);
}

/** Two discounts may share a line only when each lists the other's group (or '*'). */
export function stacks(a: { group: string; stacks_with: readonly string[] }, b: { group: string; stacks_with: readonly string[] }): boolean {
  const accepts = (x: typeof a, g: string) => x.stacks_with.includes('*') || x.stacks_with.includes(g);
  return accepts(a, b.group) && accepts(b, a.group);
}
