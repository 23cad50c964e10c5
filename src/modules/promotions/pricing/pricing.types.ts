/**
 * The pricing engine's input, policy and output. Money is integer fen, rates are basis
 * points, time is epoch ms passed in. Everything here is plain data so a priced cart can be
 * stored as the order's `pricing` JSON and re-read by refunds and settlement.
 */
import type { Currency } from '../../../lib/money.ts';

// ───────────────────────────── policy ─────────────────────────────

export type StageKind = 'price' | 'store_coupon' | 'platform_coupon' | 'store_threshold' | 'platform_threshold' | 'shipping';
export type DiscountStage = 'store_coupon' | 'platform_coupon' | 'store_threshold' | 'platform_threshold';

export interface StageConfig {
  stage: StageKind;
  /** Discount stages: a line never goes below this share of its floor base (2000 = 20%). */
  floor_bp?: number;
  /** Discount stages: how many offers of this stage may apply per store or per order. */
  limit?: { per: 'store' | 'order'; max: number };
  /** Discount stages: thresholds are checked on the amount after earlier stages, or on goods. */
  basis?: 'current' | 'goods';
}

export interface FlashSaleRules {
  max_duration_ms: number;
  /** The flash price must lie within [min_price_bp, max_price_bp] of the original price. */
  min_price_bp: number;
  max_price_bp: number;
  /** …and be at least this much lower than the original price. */
  min_saving_minor: number;
}

export interface PricingPolicy {
  /** Order of application; `price` first and `shipping` last. */
  stages: readonly StageConfig[];
  /** A fixed-amount coupon (减Y / 满X减Y) takes at most this much off. */
  max_fixed_coupon_off_minor: number;
  /**
   * Platform-wide stacking bans: pairs of groups that never share a line, whatever the offers
   * say (e.g. ['flash_sale', 'platform_coupon']). Groups: an offer's stacking_group (default:
   * its source kind), 'flash_sale', 'live_price'.
   */
  never_stack?: readonly (readonly [string, string])[];
  /** What a floor is a share of: the SKU's list price, or the live/flash price actually charged. */
  floor_base: 'list_price' | 'effective_price';
  flash_sale: FlashSaleRules;
}

// ───────────────────────────── input ─────────────────────────────

export type Funder = 'platform' | 'merchant' | 'shared';

export interface Funding {
  funder: Funder;
  /** Shared only: the platform's share in basis points; the merchant pays the rest. */
  platform_share_bp?: number;
}

/** Which discounts may sit on the same line: both sides must list the other's group, or '*'. */
export interface Stacking {
  /** Defaults to the source kind (e.g. 'store_coupon'). */
  stacking_group?: string;
  /** Defaults to ['*']. */
  stacks_with?: readonly string[];
}

/** Each listed dimension must match (AND); within a list any value matches (OR). Empty = any. */
export interface Applicability {
  store_ids?: readonly string[];
  category_ids?: readonly string[];
  product_ids?: readonly string[];
  campaign_ids?: readonly string[];
  exclude_product_ids?: readonly string[];
}

interface SpecialPrice {
  price_minor: number;
  /** Valid in [start_ms, end_ms). */
  start_ms: number;
  end_ms: number;
  /** Per-buyer limit (null/absent: none) and what this buyer already bought under it. */
  limit_per_buyer?: number | null;
  bought_qty?: number;
  /** Units left at this price, when the caller knows (inventory owns the authoritative count). */
  stock_left?: number;
  stacks_with?: readonly string[];
}

/** 限时抢购: a time-boxed price for one SKU. */
export interface FlashPrice extends SpecialPrice {
  flash_sale_id: string;
}

/** A live-room-only price: valid while live and only for orders placed from the room. */
export interface LivePrice extends SpecialPrice {
  room_id: string;
  ordered_in_room: boolean;
}

export interface CartLine {
  line_id: string;
  store_id: string;
  sku_id: string;
  product_id: string;
  category_id: string;
  quantity: number;
  /** The server's current SKU price, read from catalog — never the client's. */
  unit_price_minor: number;
  /** Per unit; needed only by weight-based shipping templates. */
  weight_g?: number;
  flash?: FlashPrice;
  live?: LivePrice;
  campaign_id?: string;
}

export interface Coupon extends Funding, Stacking {
  coupon_id: string;
  scope: 'store' | 'platform';
  store_id?: string;
  /** fixed: 减Y (无门槛); threshold: 满X减Y; percent: 打N折, optionally 满X and capped. */
  kind: 'fixed' | 'threshold' | 'percent';
  off_minor?: number;
  threshold_minor?: number;
  /** percent: what the buyer pays, 8000 = 8折 (20% off). */
  pay_rate_bp?: number;
  /** percent: the most it takes off. */
  cap_minor?: number;
  applies_to?: Applicability;
  valid_from_ms: number;
  valid_to_ms: number;
  campaign_id?: string;
}

export interface Tier {
  threshold_minor: number;
  off_minor: number;
}

/** Single tier 满X减Y = a ladder of one; 每满X减Y = `every`, optionally capped. */
export type ThresholdRule = { kind: 'tiers'; tiers: readonly Tier[] } | { kind: 'every'; step_minor: number; off_minor: number; cap_minor?: number };

export interface ThresholdPromotion extends Funding, Stacking {
  promotion_id: string;
  scope: 'store' | 'platform';
  store_id?: string;
  rule: ThresholdRule;
  applies_to?: Applicability;
  valid_from_ms: number;
  valid_to_ms: number;
  campaign_id?: string;
}

export interface ShippingRule {
  /** Provinces this rule covers, or '*' for everywhere not listed by another rule. */
  provinces: readonly string[] | '*';
  /** Units are items (basis quantity) or grams (basis weight). */
  first_units: number;
  first_fee_minor: number;
  additional_units: number;
  additional_fee_minor: number;
}

export interface ShippingTemplate {
  template_id: string;
  store_id: string;
  basis: 'quantity' | 'weight';
  rules: readonly ShippingRule[];
  /** Free shipping when the store's goods after discounts reach this (包邮门槛). */
  free_over_minor?: number | null;
  /** Remote regions (偏远地区) that never get free shipping. */
  no_free_provinces?: readonly string[];
}

export interface PricingInput {
  currency?: Currency;
  lines: readonly CartLine[];
  /** The coupons the buyer selected (already verified as the buyer's and unused). */
  coupons?: readonly Coupon[];
  /** Threshold promotions in effect for these stores / the platform; applied automatically. */
  promotions?: readonly ThresholdPromotion[];
  shipping_templates: readonly ShippingTemplate[];
  province: string;
  now_ms: number;
}

// ───────────────────────────── output ─────────────────────────────

export type SourceKind = DiscountStage | 'flash_sale' | 'live_price' | 'shipping';

export interface LineDiscount {
  source_id: string;
  source_kind: DiscountStage;
  funder: Funder;
  amount_minor: number;
  platform_minor: number;
  merchant_minor: number;
  campaign_id: string | null;
}

export interface PricedLine {
  line_id: string;
  store_id: string;
  sku_id: string;
  product_id: string;
  category_id: string;
  campaign_id: string | null;
  quantity: number;
  list_unit_price_minor: number;
  /** What one unit costs before discounts: the SKU price, or a valid flash/live price. */
  unit_price_minor: number;
  price_source: 'sku' | 'flash_sale' | 'live_price';
  price_source_id: string | null;
  /** unit_price × quantity: the line's original amount for discounts and refunds. */
  goods_minor: number;
  discounts: LineDiscount[];
  discount_minor: number;
  /** goods − discounts */
  goods_paid_minor: number;
  shipping_minor: number;
  /** goods_paid + shipping: what a full refund of this line returns. */
  paid_minor: number;
}

export interface StoreDiscount {
  source_id: string;
  source_kind: DiscountStage;
  amount_minor: number;
}

export interface PricedStore {
  store_id: string;
  line_ids: string[];
  goods_minor: number;
  discount_minor: number;
  discounts: StoreDiscount[];
  shipping_minor: number;
  shipping_template_id: string;
  total_minor: number;
}

export interface Step {
  seq: number;
  stage: StageKind;
  source_kind: SourceKind;
  source_id: string;
  /** Fen taken off (price/discount stages) or charged (shipping). */
  amount_minor: number;
  code: string;
  message: string;
  message_zh: string;
  details: Record<string, unknown>;
  lines: { line_id: string; amount_minor: number }[];
}

export interface NotApplied {
  source_kind: SourceKind;
  source_id: string;
  code: string;
  message: string;
  message_zh: string;
  details: Record<string, unknown>;
}

export interface FundingTotals {
  platform_minor: number;
  merchant_minor: number;
  by_store: { store_id: string; platform_minor: number; merchant_minor: number }[];
  by_source: { source_id: string; source_kind: DiscountStage; campaign_id: string | null; platform_minor: number; merchant_minor: number }[];
}

export interface PricedCart {
  currency: Currency;
  now_ms: number;
  province: string;
  lines: PricedLine[];
  stores: PricedStore[];
  goods_minor: number;
  discount_minor: number;
  shipping_minor: number;
  total_minor: number;
  steps: Step[];
  not_applied: NotApplied[];
  funding: FundingTotals;
}

export interface PricingFail {
  ok: false;
  code: 'undeliverable_region' | 'no_shipping_template';
  message: string;
  message_zh: string;
  details: Record<string, unknown>;
}

export type PriceResult = { ok: true; value: PricedCart } | PricingFail;
