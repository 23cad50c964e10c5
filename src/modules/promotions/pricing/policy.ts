/**
 * The platform's pricing policy as data: the order of the stages, their floors and stacking
 * limits, the fixed-coupon cap and the flash-sale rules. Operators change this, not code.
 */
import { HOUR_MS } from '../../../lib/clock.ts';
import type { PricingPolicy, StageConfig, StageKind } from './pricing.types.ts';

export const DEFAULT_POLICY: PricingPolicy = {
  stages: [
    { stage: 'price' },
    // A coupon never takes a line below 20% of its original price; one store coupon per store.
    { stage: 'store_coupon', floor_bp: 2000, limit: { per: 'store', max: 1 }, basis: 'current' },
    { stage: 'platform_coupon', floor_bp: 2000, limit: { per: 'order', max: 1 }, basis: 'current' },
    { stage: 'store_threshold', floor_bp: 0, basis: 'current' },
    { stage: 'platform_threshold', floor_bp: 0, basis: 'current' },
    { stage: 'shipping' },
  ],
  max_fixed_coupon_off_minor: 20_000,
  floor_base: 'list_price',
  flash_sale: { max_duration_ms: 24 * HOUR_MS, min_price_bp: 1000, max_price_bp: 8500, min_saving_minor: 1000 },
};

const DISCOUNT_STAGES: readonly StageKind[] = ['store_coupon', 'platform_coupon', 'store_threshold', 'platform_threshold'];

/** A malformed policy is a programmer/configuration error: it throws. */
export function assertPolicy(p: PricingPolicy): void {
  const kinds = p.stages.map((s) => s.stage);
  if (kinds[0] !== 'price') throw new Error('pricing policy: the first stage must be "price"');
  if (kinds[kinds.length - 1] !== 'shipping') throw new Error('pricing policy: the last stage must be "shipping"');
  if (new Set(kinds).size !== kinds.length) throw new Error(`pricing policy: a stage is listed twice (${kinds.join(', ')})`);
  for (const s of p.stages) assertStage(s);
  if (!Number.isSafeInteger(p.max_fixed_coupon_off_minor) || p.max_fixed_coupon_off_minor < 0) throw new Error('pricing policy: max_fixed_coupon_off_minor must be fen ≥ 0');
  const f = p.flash_sale;
  if (!(f.min_price_bp >= 0 && f.min_price_bp <= f.max_price_bp && f.max_price_bp <= 10000)) throw new Error('pricing policy: flash-sale price band must satisfy 0 ≤ min ≤ max ≤ 10000 bp');
}

function assertStage(s: StageConfig): void {
  const isDiscount = DISCOUNT_STAGES.includes(s.stage);
  if (!isDiscount && (s.floor_bp !== undefined || s.limit !== undefined || s.basis !== undefined)) {
    throw new Error(`pricing policy: stage "${s.stage}" takes no floor, limit or basis`);
  }
  if (s.floor_bp !== undefined && !(Number.isSafeInteger(s.floor_bp) && s.floor_bp >= 0 && s.floor_bp <= 10000)) {
    throw new Error(`pricing policy: floor_bp of "${s.stage}" must be 0..10000`);
  }
  if (s.limit && !(Number.isSafeInteger(s.limit.max) && s.limit.max >= 1)) throw new Error(`pricing policy: limit.max of "${s.stage}" must be ≥ 1`);
}

/** Returns a copy of the default policy with some fields replaced (tests, campaigns). */
export function policyWith(patch: Partial<PricingPolicy>, base: PricingPolicy = DEFAULT_POLICY): PricingPolicy {
  const p = { ...base, ...patch };
  assertPolicy(p);
  return p;
}

/** The config for one stage, with the same stage's settings replaced. */
export function withStage(policy: PricingPolicy, stage: StageKind, patch: Partial<StageConfig>): PricingPolicy {
  const stages = policy.stages.map((s) => (s.stage === stage ? { ...s, ...patch } : s));
  return policyWith({ stages }, policy);
}
