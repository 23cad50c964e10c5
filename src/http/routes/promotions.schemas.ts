import { Type, type Static, type TSchema } from 'typebox';
import { toIso } from '../../lib/clock.ts';
import { invalid } from '../../lib/errors.ts';
import type { ClaimableCoupon, CouponTemplate, FlashSale, ThresholdPromotionView, WalletCoupon } from '../../modules/promotions/index.ts';
import { MoneyMinor, NullableTimestamp, Timestamp } from '../schemas.ts';

/** Request/response schemas and presenters for coupons, 满减 and flash sales (times are ISO-8601 at the edge). */
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const Ids = (prefix: string) => Type.Array(Type.String({ pattern: `^${prefix}_`, maxLength: 40 }), { maxItems: 200 });
const Positive = Type.Integer({ minimum: 1, maximum: 100_000_000_00 });
const Group = Type.String({ pattern: '^[a-z0-9_*]{1,40}$' });
const Name = Type.String({ minLength: 1, maxLength: 40 });
export const OfferStatus = Type.Union([Type.Literal('active'), Type.Literal('stopped')]);

export const StoreApplicability = Type.Object({
  category_ids: Type.Optional(Ids('cat')), product_ids: Type.Optional(Ids('prd')), exclude_product_ids: Type.Optional(Ids('prd')),
}, { additionalProperties: false, description: 'each listed dimension must match; empty = the whole store' });
export const PlatformApplicability = Type.Object({
  store_ids: Type.Optional(Ids('sto')), category_ids: Type.Optional(Ids('cat')), product_ids: Type.Optional(Ids('prd')),
  exclude_product_ids: Type.Optional(Ids('prd')), campaign_ids: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 })),
}, { additionalProperties: false, description: 'each listed dimension must match; empty = everything' });

const couponTerms = {
  name: Name,
  kind: Type.Union([Type.Literal('fixed'), Type.Literal('threshold'), Type.Literal('percent')], { description: 'fixed 无门槛减Y; threshold 满X减Y; percent 打N折 (optionally 满X, capped)' }),
  off_minor: Type.Optional(Positive),
  threshold_minor: Type.Optional(MoneyMinor),
  pay_rate_bp: Type.Optional(Type.Integer({ minimum: 1, maximum: 9999, description: 'what the buyer pays: 8000 = 8折' })),
  cap_minor: Type.Optional(Positive),
  valid_from: Timestamp,
  valid_to: Timestamp,
  valid_days: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 365, description: 'valid for N days after claiming (never past valid_to)' }))),
  claim_from: Type.Optional(Timestamp),
  claim_to: Type.Optional(Timestamp),
  total_quantity: Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'the budget: at most this many are ever claimed' }),
  per_buyer_limit: Type.Integer({ minimum: 1, maximum: 100 }),
  stacks_with: Type.Optional(Type.Array(Group, { maxItems: 10, description: "stacking groups this may share a line with; default ['*']" })),
};
const platformFunding = {
  funder: Type.Optional(Type.Union([Type.Literal('platform'), Type.Literal('merchant'), Type.Literal('shared')])),
  platform_share_bp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  stacking_group: Type.Optional(Group),
  campaign_id: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
};
export const StoreCouponBody = Type.Object({ ...couponTerms, applies_to: Type.Optional(StoreApplicability) }, { additionalProperties: false });
export const PlatformCouponBody = Type.Object({ ...couponTerms, ...platformFunding, applies_to: Type.Optional(PlatformApplicability) }, { additionalProperties: false });
export const TemplatePatchBody = Type.Object({
  name: Type.Optional(Name), total_quantity: Type.Optional(couponTerms.total_quantity), per_buyer_limit: Type.Optional(couponTerms.per_buyer_limit),
  claim_to: Type.Optional(Timestamp), status: Type.Optional(OfferStatus),
}, { additionalProperties: false, minProperties: 1 });

const Tier = Type.Object({ threshold_minor: Positive, off_minor: Positive }, { additionalProperties: false });
export const ThresholdRule = Type.Union([
  Type.Object({ kind: Type.Literal('tiers'), tiers: Type.Array(Tier, { minItems: 1, maxItems: 10 }) }, { additionalProperties: false, description: '满X减Y; several tiers make a ladder' }),
  Type.Object({ kind: Type.Literal('every'), step_minor: Positive, off_minor: Positive, cap_minor: Type.Optional(Positive) }, { additionalProperties: false, description: '每满X减Y, optionally capped' }),
]);
const thresholdTerms = { name: Name, rule: ThresholdRule, valid_from: Timestamp, valid_to: Timestamp, stacks_with: couponTerms.stacks_with };
export const StoreThresholdBody = Type.Object({ ...thresholdTerms, applies_to: Type.Optional(StoreApplicability) }, { additionalProperties: false });
export const PlatformThresholdBody = Type.Object({ ...thresholdTerms, ...platformFunding, applies_to: Type.Optional(PlatformApplicability) }, { additionalProperties: false });
const thresholdPatch = (applies: TSchema) => Type.Object({
  name: Type.Optional(Name), rule: Type.Optional(ThresholdRule), applies_to: Type.Optional(applies), valid_from: Type.Optional(Timestamp), valid_to: Type.Optional(Timestamp),
  stacks_with: couponTerms.stacks_with, status: Type.Optional(OfferStatus),
}, { additionalProperties: false, minProperties: 1 });
export const StoreThresholdPatch = thresholdPatch(StoreApplicability);
export const PlatformThresholdPatch = thresholdPatch(PlatformApplicability);

const flashTerms = {
  price_minor: Positive, flash_stock: Type.Integer({ minimum: 1, maximum: 10_000_000 }), limit_per_buyer: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 200 }))),
  starts_at: Timestamp, ends_at: Timestamp,
};
export const FlashSaleBody = Type.Object({ sku_id: Type.String({ pattern: '^sku_' }), ...flashTerms }, { additionalProperties: false });
export const FlashSalePatchBody = Type.Object({
  price_minor: Type.Optional(flashTerms.price_minor), flash_stock: Type.Optional(flashTerms.flash_stock), limit_per_buyer: flashTerms.limit_per_buyer,
  starts_at: Type.Optional(Timestamp), ends_at: Type.Optional(Timestamp), status: Type.Optional(OfferStatus),
}, { additionalProperties: false, minProperties: 1 });

// ───────────── responses ─────────────
const Money = Nullable(MoneyMinor);
export const CouponTemplateSchema = Type.Object({
  id: Type.String(), scope: Type.String(), store_id: Nullable(Type.String()), name: Type.String(), label_zh: Type.String(), kind: Type.String(), off_minor: Money, threshold_minor: Money,
  pay_rate_bp: Nullable(Type.Integer()), cap_minor: Money, applies_to: Type.Record(Type.String(), Type.Array(Type.String())), funder: Type.String(), platform_share_bp: Nullable(Type.Integer()),
  stacking_group: Nullable(Type.String()), stacks_with: Nullable(Type.Array(Type.String())), campaign_id: Nullable(Type.String()), valid_from: Timestamp, valid_to: Timestamp,
  valid_days: Nullable(Type.Integer()), claim_from: Timestamp, claim_to: Timestamp, total_quantity: Type.Integer(), claimed: Type.Integer(), remaining: Type.Integer(),
  per_buyer_limit: Type.Integer(), status: Type.String(), created_at: Timestamp, updated_at: Timestamp,
});
export const ClaimableCouponSchema = Type.Intersect([CouponTemplateSchema, Type.Object({ claimed_by_me: Type.Integer(), can_claim: Type.Boolean() })]);
export const WalletCouponSchema = Type.Object({
  id: Type.String(), template_id: Type.String(), name: Type.String(), label_zh: Type.String(), scope: Type.String(), store_id: Nullable(Type.String()), kind: Type.String(),
  off_minor: Money, threshold_minor: Money, pay_rate_bp: Nullable(Type.Integer()), cap_minor: Money, applies_to: Type.Record(Type.String(), Type.Array(Type.String())),
  state: Type.Union([Type.Literal('usable'), Type.Literal('used'), Type.Literal('expired')]), valid_from: Timestamp, valid_to: Timestamp, claimed_at: Timestamp, used_at: NullableTimestamp,
});
export const ThresholdSchema = Type.Object({
  id: Type.String(), scope: Type.String(), store_id: Nullable(Type.String()), name: Type.String(), label_zh: Type.String(), rule: ThresholdRule,
  applies_to: Type.Record(Type.String(), Type.Array(Type.String())), funder: Type.String(), platform_share_bp: Nullable(Type.Integer()), stacking_group: Nullable(Type.String()),
  stacks_with: Nullable(Type.Array(Type.String())), campaign_id: Nullable(Type.String()), valid_from: Timestamp, valid_to: Timestamp, status: Type.String(), created_at: Timestamp, updated_at: Timestamp,
});
export const FlashSaleSchema = Type.Object({
  id: Type.String(), store_id: Type.String(), product_id: Type.String(), sku_id: Type.String(), price_minor: MoneyMinor, flash_stock: Type.Integer(), sold: Type.Integer(),
  stock_left: Type.Integer(), limit_per_buyer: Nullable(Type.Integer()), starts_at: Timestamp, ends_at: Timestamp, status: Type.String(),
  phase: Type.Union([Type.Literal('upcoming'), Type.Literal('running'), Type.Literal('ended'), Type.Literal('stopped')]), created_at: Timestamp, updated_at: Timestamp,
  product: Type.Optional(Type.Object({
    title: Type.String(), spec: Type.Record(Type.String(), Type.String()), image: Nullable(Type.String()), price_minor: MoneyMinor,
  }, { description: 'what the SKU is and its own price now (for display beside the flash price)' })),
});

const iso = (ms: number) => toIso(ms)!;
const lists = (a: object) => a as Record<string, string[]>;
export function presentTemplate({ valid_from_ms, valid_to_ms, claim_from_ms, claim_to_ms, created_at, updated_at, ...t }: CouponTemplate) {
  return { ...t, applies_to: lists(t.applies_to), valid_from: iso(valid_from_ms), valid_to: iso(valid_to_ms), claim_from: iso(claim_from_ms), claim_to: iso(claim_to_ms), created_at: iso(created_at), updated_at: iso(updated_at) };
}
export const presentClaimable = (c: ClaimableCoupon) => ({ ...presentTemplate(c), claimed_by_me: c.claimed_by_me, can_claim: c.can_claim });
export function presentWallet({ valid_from_ms, valid_to_ms, claimed_at, used_at, ...c }: WalletCoupon) {
  return { ...c, applies_to: lists(c.applies_to), valid_from: iso(valid_from_ms), valid_to: iso(valid_to_ms), claimed_at: iso(claimed_at), used_at: toIso(used_at) };
}
export function presentThreshold({ valid_from_ms, valid_to_ms, created_at, updated_at, ...p }: ThresholdPromotionView) {
  return { ...p, rule: p.rule as Static<typeof ThresholdRule>, applies_to: lists(p.applies_to), valid_from: iso(valid_from_ms), valid_to: iso(valid_to_ms), created_at: iso(created_at), updated_at: iso(updated_at) };
}
export function presentFlashSale({ start_ms, end_ms, created_at, updated_at, ...f }: FlashSale) {
  return { ...f, starts_at: iso(start_ms), ends_at: iso(end_ms), created_at: iso(created_at), updated_at: iso(updated_at) };
}

/** ISO-8601 → epoch ms (the schema has checked the format; an impossible date is still a 400). */
export function ms(text: string): number;
export function ms(text: string | undefined): number | undefined;
export function ms(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Date.parse(text);
  if (Number.isNaN(v)) throw invalid('invalid_timestamp', `not a timestamp: ${text}`);
  return v;
}

type TimedCoupon = { valid_from: string; valid_to: string; claim_from?: string; claim_to?: string };
/** Body times → the module's *_ms fields. */
export function couponInput<T extends TimedCoupon>({ valid_from, valid_to, claim_from, claim_to, ...rest }: T) {
  return { ...rest, valid_from_ms: ms(valid_from), valid_to_ms: ms(valid_to), ...(claim_from ? { claim_from_ms: ms(claim_from) } : {}), ...(claim_to ? { claim_to_ms: ms(claim_to) } : {}) };
}
export function thresholdInput<T extends { valid_from?: string; valid_to?: string }>({ valid_from, valid_to, ...rest }: T) {
  return { ...rest, ...(valid_from ? { valid_from_ms: ms(valid_from) } : {}), ...(valid_to ? { valid_to_ms: ms(valid_to) } : {}) };
}
export function flashInput<T extends { starts_at?: string; ends_at?: string }>({ starts_at, ends_at, ...rest }: T) {
  return { ...rest, ...(starts_at ? { start_ms: ms(starts_at) } : {}), ...(ends_at ? { end_ms: ms(ends_at) } : {}) };
}
